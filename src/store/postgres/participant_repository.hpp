#pragma once

#include "attendance/repositories.hpp"
#include "store/postgres/connection.hpp"

namespace headcount::store::postgres {

/// Zoom participants (`zoom_participants`), their marks (`zoom_participant_events`) and
/// applied deliveries (`zoom_deliveries`).
class participant_repository final : public attendance::participant_repository {
public:
    explicit participant_repository(connection& db) : db_(db) {}

    bool record_delivery(
        std::string_view event,
        const meeting_id& meeting,
        std::string_view participant_key,
        timestamp event_time,
        timestamp now
    ) override;
    attendance::zoom_participant upsert(const meeting_id& meeting, const attendance::identity& who)
        override;
    std::optional<attendance::zoom_participant> find_row(std::int64_t row) override;
    void add_mark(std::int64_t row, const attendance::mark& m) override;
    std::vector<attendance::mark> marks(std::int64_t row) override;
    void set_active(std::int64_t row, bool active) override;
    std::vector<std::int64_t> active_rows(const meeting_id& meeting) override;
    std::vector<attendance::zoom_participant> in_meeting(const meeting_id& meeting) override;
    std::vector<std::pair<std::int64_t, attendance::mark>> marks_in_meeting(
        const meeting_id& meeting
    ) override;
    bool any_in_meeting(const meeting_id& meeting) override;
    std::vector<attendance::zoom_participant> linked_to(const meeting_id& meeting, user_id user)
        override;
    std::vector<attendance::zoom_participant> unlinked_by_email(
        const meeting_id& meeting, std::string_view email, std::size_t limit
    ) override;
    std::vector<attendance::zoom_participant> unlinked_by_customer_key(
        const meeting_id& meeting, std::string_view key, std::size_t limit
    ) override;
    std::vector<attendance::zoom_participant> unlinked_by_name(
        const meeting_id& meeting, const std::vector<std::string>& name_keys, std::size_t limit
    ) override;
    bool link(std::int64_t row, user_id user, const session_id& session, attendance::link_rule rule)
        override;
    void follow_session(const meeting_id& meeting, user_id user, const session_id& session)
        override;
    std::vector<attendance::session_candidate> unlinked_sessions_by_email(
        const meeting_id& meeting, std::string_view email, std::size_t limit
    ) override;
    std::vector<attendance::session_candidate> unlinked_sessions_by_user(
        const meeting_id& meeting, user_id user, std::size_t limit
    ) override;
    std::vector<attendance::session_candidate> unlinked_sessions_by_name(
        const meeting_id& meeting, std::string_view name_key, std::size_t limit
    ) override;
    std::optional<session_id> active_session_of(const meeting_id& meeting, user_id user) override;

private:
    connection& db_;
};

/// Expected students (`meeting_roster`).
class roster_repository final : public attendance::roster_repository {
public:
    explicit roster_repository(connection& db) : db_(db) {}
    void replace(const meeting_id& meeting, const std::vector<student_id>& students) override;
    std::vector<student_id> of(const meeting_id& meeting) override;

private:
    connection& db_;
};

}  // namespace headcount::store::postgres
