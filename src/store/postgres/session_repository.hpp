#pragma once

#include "sessions/repositories.hpp"
#include "store/postgres/connection.hpp"

namespace headcount::store::postgres {

/// User sessions in `user_sessions`; expiry-pass claims in `maintenance_runs`, under an
/// advisory lock.
class session_repository final : public sessions::session_repository {
public:
    explicit session_repository(connection& db) : db_(db) {}

    std::optional<sessions::session> find(const session_id& id) override;
    std::optional<sessions::session> find_active(user_id user, const meeting_id& meeting) override;
    void insert(const sessions::session& s) override;
    bool touch(const session_id& id, user_id owner, timestamp at) override;
    bool mark_ended(const sessions::session& ended) override;
    std::vector<sessions::session> active_in_meeting(const meeting_id& meeting) override;
    std::vector<sessions::session> in_meeting(const meeting_id& meeting) override;
    std::vector<sessions::session> idle_since(timestamp cutoff, std::size_t limit) override;
    std::vector<sessions::session> list_for_user(
        user_id user, const sessions::session_filter& filter
    ) override;
    sessions::session_stats stats() override;
    bool claim_cleanup_pass(timestamp now, std::chrono::milliseconds min_gap) override;

private:
    connection& db_;
};

}  // namespace headcount::store::postgres
