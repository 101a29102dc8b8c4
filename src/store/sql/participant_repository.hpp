#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attendance/repositories.hpp"
#include "common/text.hpp"
#include "store/sql/dialect.hpp"

namespace headcount::store::sql {

/// Zoom participants of occurrences (`zoom_participants`), their marks
/// (`zoom_participant_events`) and applied deliveries (`zoom_deliveries`).
template <dialect D>
class participant_repository final : public attendance::participant_repository {
public:
    explicit participant_repository(typename D::connection& db) : db_(db) {}

    bool record_delivery(
        std::string_view event,
        occurrence_id occurrence,
        std::string_view participant_key,
        timestamp event_time,
        timestamp now
    ) override;
    attendance::zoom_participant upsert(
        const attendance::occurrence& in, const attendance::identity& who
    ) override;
    std::optional<attendance::zoom_participant> find_row(std::int64_t row) override;
    void add_mark(std::int64_t row, const attendance::mark& m) override;
    std::vector<attendance::mark> marks(std::int64_t row) override;
    void set_active(std::int64_t row, bool active) override;
    std::vector<std::int64_t> active_rows(occurrence_id occurrence) override;
    std::vector<attendance::zoom_participant> in_occurrence(occurrence_id occurrence) override;
    std::vector<std::pair<std::int64_t, attendance::mark>> marks_in_occurrence(
        occurrence_id occurrence
    ) override;
    std::vector<attendance::zoom_participant> in_series(
        const meeting_id& meeting, timestamp from, timestamp to
    ) override;
    std::vector<std::pair<std::int64_t, attendance::mark>> marks_in_series(
        const meeting_id& meeting, timestamp from, timestamp to
    ) override;
    bool any_in_occurrence(occurrence_id occurrence) override;
    std::vector<attendance::zoom_participant> linked_to(occurrence_id occurrence, user_id user)
        override;
    std::vector<attendance::zoom_participant> unlinked_by_email(
        occurrence_id occurrence, std::string_view email, std::size_t limit
    ) override;
    std::vector<attendance::zoom_participant> unlinked_by_customer_key(
        occurrence_id occurrence, std::string_view key, std::size_t limit
    ) override;
    std::vector<attendance::zoom_participant> unlinked_by_name(
        occurrence_id occurrence, const std::vector<std::string>& name_keys, std::size_t limit
    ) override;
    bool link(std::int64_t row, user_id user, const session_id& session, attendance::link_rule rule)
        override;
    void follow_session(occurrence_id occurrence, user_id user, const session_id& session) override;
    std::vector<attendance::session_candidate> unlinked_sessions_by_email(
        occurrence_id occurrence, std::string_view email, std::size_t limit
    ) override;
    std::vector<attendance::session_candidate> unlinked_sessions_by_user(
        occurrence_id occurrence, user_id user, std::size_t limit
    ) override;
    std::vector<attendance::session_candidate> unlinked_sessions_by_name(
        occurrence_id occurrence, std::string_view name_key, std::size_t limit
    ) override;
    std::optional<session_id> active_session_of(occurrence_id occurrence, user_id user) override;

private:
    template <class Query>
    static std::vector<std::pair<std::int64_t, attendance::mark>> read_marks(Query& q);

private:
    typename D::connection& db_;
};

/// Expected students (`meeting_roster`).
template <dialect D>
class roster_repository final : public attendance::roster_repository {
public:
    explicit roster_repository(typename D::connection& db) : db_(db) {}
    void replace(const meeting_id& meeting, const std::vector<student_id>& students) override;
    std::vector<student_id> of(const meeting_id& meeting) override;

private:
    typename D::connection& db_;
};

namespace detail {

template <class Query>
attendance::zoom_participant read_participant(const Query& q) {
    attendance::zoom_participant p;
    p.row = q.int64(0);
    p.meeting = meeting_id{q.text(1)};
    p.who.key = q.text(2);
    p.who.participant_id = q.text(3);
    p.who.zoom_user_id = q.optional_text(4);
    p.who.name = q.optional_text(5);
    p.who.name_key = q.text(6);
    p.who.email = q.optional_text(7);
    p.who.customer_key = q.optional_text(8);
    p.active = q.boolean(9);
    if (const auto u = q.optional_int64(10))
        p.user = user_id{*u};
    if (auto s = q.optional_text(11))
        p.session = session_id{std::move(*s)};
    if (!q.is_null(12))
        p.linked_by = attendance::parse_link_rule(q.text_view(12));
    p.occurrence = occurrence_id{q.int64(13)};
    return p;
}

template <class Query>
std::vector<attendance::zoom_participant> read_participants(Query& q) {
    std::vector<attendance::zoom_participant> out;
    while (q.step())
        out.push_back(read_participant(q));
    return out;
}

template <class Query>
std::vector<attendance::session_candidate> read_candidates(Query& q) {
    std::vector<attendance::session_candidate> out;
    while (q.step())
        out.push_back({session_id{q.text(0)}, user_id{q.int64(1)}});
    return out;
}

template <class Query>
attendance::mark read_mark(const Query& q, int at_column) {
    return {from_epoch_ms(q.int64(at_column)), q.text_view(at_column + 1) == "join"};
}

/// Whether the upsert below would change a stored participant: it fills in or replaces
/// with what a delivery gives, and keeps what it leaves out.
inline bool would_change(const attendance::identity& stored, const attendance::identity& given) {
    const auto differs = [](const auto& given_value, const auto& stored_value) {
        return given_value && given_value != stored_value;
    };
    return differs(given.zoom_user_id, stored.zoom_user_id) || differs(given.name, stored.name) ||
           (!given.name_key.empty() && given.name_key != stored.name_key) ||
           differs(given.email, stored.email) || differs(given.customer_key, stored.customer_key);
}

}  // namespace detail

template <dialect D>
bool participant_repository<D>::record_delivery(
    std::string_view event,
    occurrence_id occurrence,
    std::string_view participant_key,
    timestamp event_time,
    timestamp now
) {
    return db_.prepare(D::participants.insert_delivery)
               .with(
                   event, occurrence.value(), participant_key, to_epoch_ms(event_time),
                   to_epoch_ms(now)
               )
               .run() == 1;
}

template <dialect D>
attendance::zoom_participant participant_repository<D>::upsert(
    const attendance::occurrence& in, const attendance::identity& who
) {
    std::optional<std::int64_t> stored_row;
    {
        // Read first, then update by id or insert, rather than one upsert with RETURNING:
        // SQLite gathers RETURNING rows in a temporary b-tree that it opens and frees on every
        // statement (a quarter of its writer's time under webhook load), and most deliveries
        // repeat what is stored (a leave, a rejoin): then nothing is written. On PostgreSQL two
        // instances inserting one participant at once meet its unique key, and the transaction
        // that loses is run again (postgres_database) and finds the row.
        auto q = db_.prepare(D::participants.select_by_key);
        q.with(in.id.value(), who.key);
        if (q.step()) {
            auto stored = detail::read_participant(q);
            if (!detail::would_change(stored.who, who))
                return stored;
            stored_row = stored.row;
        }
    }
    std::optional<std::string> email_key;
    if (who.email)
        email_key = text::ascii_lower(*who.email);
    if (stored_row) {
        db_.prepare(D::participants.update_participant)
            .with(
                *stored_row, who.zoom_user_id, who.name, who.name_key, who.email, email_key,
                who.customer_key
            )
            .run();
        auto updated = find_row(*stored_row);
        if (!updated)
            throw std::runtime_error("an updated Zoom participant could not be read back");
        return std::move(*updated);
    }
    auto insert = db_.prepare(D::participants.insert_participant);
    insert.with(
        in.meeting.value(), who.key, who.participant_id, who.zoom_user_id, who.name, who.name_key,
        who.email, email_key, who.customer_key, in.id.value()
    );
    attendance::zoom_participant created;
    created.row = D::inserted_id(db_, insert);
    created.meeting = in.meeting;
    created.occurrence = in.id;
    created.who = who;
    return created;
}

template <dialect D>
std::optional<attendance::zoom_participant> participant_repository<D>::find_row(std::int64_t row) {
    auto q = db_.prepare(D::participants.select_row);
    q.with(row);
    if (!q.step())
        return std::nullopt;
    return detail::read_participant(q);
}

template <dialect D>
void participant_repository<D>::add_mark(std::int64_t row, const attendance::mark& m) {
    db_.prepare(D::participants.insert_mark)
        .with(row, to_epoch_ms(m.at), m.join ? "join" : "leave")
        .run();
}

template <dialect D>
std::vector<attendance::mark> participant_repository<D>::marks(std::int64_t row) {
    std::vector<attendance::mark> out;
    auto q = db_.prepare(D::participants.select_marks);
    q.with(row);
    while (q.step())
        out.push_back(detail::read_mark(q, 0));
    return out;
}

template <dialect D>
void participant_repository<D>::set_active(std::int64_t row, bool active) {
    db_.prepare(D::participants.update_active).with(active, row).run();
}

template <dialect D>
std::vector<std::int64_t> participant_repository<D>::active_rows(occurrence_id occurrence) {
    std::vector<std::int64_t> out;
    auto q = db_.prepare(D::participants.select_active_rows);
    q.with(occurrence.value());
    while (q.step())
        out.push_back(q.int64(0));
    return out;
}

template <dialect D>
std::vector<attendance::zoom_participant> participant_repository<D>::in_occurrence(
    occurrence_id occurrence
) {
    auto q = db_.prepare(D::participants.select_occurrence);
    q.with(occurrence.value());
    return detail::read_participants(q);
}

template <dialect D>
template <class Query>
std::vector<std::pair<std::int64_t, attendance::mark>> participant_repository<D>::read_marks(
    Query& q
) {
    std::vector<std::pair<std::int64_t, attendance::mark>> out;
    while (q.step())
        out.emplace_back(q.int64(0), detail::read_mark(q, 1));
    return out;
}

template <dialect D>
std::vector<std::pair<std::int64_t, attendance::mark>>
participant_repository<D>::marks_in_occurrence(occurrence_id occurrence) {
    auto q = db_.prepare(D::participants.select_occurrence_marks);
    q.with(occurrence.value());
    return read_marks(q);
}

template <dialect D>
std::vector<attendance::zoom_participant> participant_repository<D>::in_series(
    const meeting_id& meeting, timestamp from, timestamp to
) {
    auto q = db_.prepare(D::participants.select_series);
    q.with(meeting.value(), to_epoch_ms(from), to_epoch_ms(to));
    return detail::read_participants(q);
}

template <dialect D>
std::vector<std::pair<std::int64_t, attendance::mark>> participant_repository<D>::marks_in_series(
    const meeting_id& meeting, timestamp from, timestamp to
) {
    auto q = db_.prepare(D::participants.select_series_marks);
    q.with(meeting.value(), to_epoch_ms(from), to_epoch_ms(to));
    return read_marks(q);
}

template <dialect D>
bool participant_repository<D>::any_in_occurrence(occurrence_id occurrence) {
    auto q = db_.prepare(D::participants.select_any_in_occurrence);
    q.with(occurrence.value());
    return q.step();
}

template <dialect D>
std::vector<attendance::zoom_participant> participant_repository<D>::linked_to(
    occurrence_id occurrence, user_id user
) {
    auto q = db_.prepare(D::participants.select_linked);
    q.with(occurrence.value(), user.value());
    return detail::read_participants(q);
}

template <dialect D>
std::vector<attendance::zoom_participant> participant_repository<D>::unlinked_by_email(
    occurrence_id occurrence, std::string_view email, std::size_t limit
) {
    auto q = db_.prepare(D::participants.select_unlinked_email);
    q.with(occurrence.value(), text::ascii_lower(email), limit);
    return detail::read_participants(q);
}

template <dialect D>
std::vector<attendance::zoom_participant> participant_repository<D>::unlinked_by_customer_key(
    occurrence_id occurrence, std::string_view key, std::size_t limit
) {
    auto q = db_.prepare(D::participants.select_unlinked_key);
    q.with(occurrence.value(), key, limit);
    return detail::read_participants(q);
}

template <dialect D>
std::vector<attendance::zoom_participant> participant_repository<D>::unlinked_by_name(
    occurrence_id occurrence, const std::vector<std::string>& name_keys, std::size_t limit
) {
    auto q = db_.prepare(D::participants.select_unlinked_name);
    q.with(occurrence.value(), D::list(name_keys), limit);
    return detail::read_participants(q);
}

template <dialect D>
bool participant_repository<D>::link(
    std::int64_t row, user_id user, const session_id& session, attendance::link_rule rule
) {
    return db_.prepare(D::participants.link_participant)
               .with(user.value(), session.value(), attendance::to_string(rule), row)
               .run() == 1;
}

template <dialect D>
void participant_repository<D>::follow_session(
    occurrence_id occurrence, user_id user, const session_id& session
) {
    db_.prepare(D::participants.follow)
        .with(session.value(), occurrence.value(), user.value())
        .run();
}

template <dialect D>
std::vector<attendance::session_candidate> participant_repository<D>::unlinked_sessions_by_email(
    occurrence_id occurrence, std::string_view email, std::size_t limit
) {
    auto q = db_.prepare(D::participants.sessions_by_email);
    q.with(occurrence.value(), text::ascii_lower(email), limit);
    return detail::read_candidates(q);
}

template <dialect D>
std::vector<attendance::session_candidate> participant_repository<D>::unlinked_sessions_by_user(
    occurrence_id occurrence, user_id user, std::size_t limit
) {
    auto q = db_.prepare(D::participants.sessions_by_user);
    q.with(occurrence.value(), user.value(), limit);
    return detail::read_candidates(q);
}

template <dialect D>
std::vector<attendance::session_candidate> participant_repository<D>::unlinked_sessions_by_name(
    occurrence_id occurrence, std::string_view name_key, std::size_t limit
) {
    auto q = db_.prepare(D::participants.sessions_by_name);
    q.with(occurrence.value(), name_key, limit);
    return detail::read_candidates(q);
}

template <dialect D>
std::optional<session_id> participant_repository<D>::active_session_of(
    occurrence_id occurrence, user_id user
) {
    auto q = db_.prepare(D::participants.select_active_session);
    q.with(occurrence.value(), user.value());
    if (!q.step())
        return std::nullopt;
    return session_id{q.text(0)};
}

template <dialect D>
void roster_repository<D>::replace(
    const meeting_id& meeting, const std::vector<student_id>& students
) {
    db_.prepare(D::rosters.delete_roster).with(meeting.value()).run();
    for (const auto& s : students)
        db_.prepare(D::rosters.insert_roster).with(meeting.value(), s.value()).run();
}

template <dialect D>
std::vector<student_id> roster_repository<D>::of(const meeting_id& meeting) {
    std::vector<student_id> out;
    auto q = db_.prepare(D::rosters.select_roster);
    q.with(meeting.value());
    while (q.step())
        out.emplace_back(q.int64(0));
    return out;
}

}  // namespace headcount::store::sql
