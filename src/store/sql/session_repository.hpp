#pragma once

#include <chrono>
#include <limits>
#include <optional>
#include <vector>

#include "sessions/repositories.hpp"
#include "store/sql/dialect.hpp"
#include "store/sql/values.hpp"

namespace headcount::store::sql {

/// User sessions in `user_sessions`; expiry-pass claims in `maintenance_runs` (under the
/// dialect's lock, where several instances share the database).
template <dialect D>
class session_repository final : public sessions::session_repository {
public:
    explicit session_repository(typename D::connection& db) : db_(db) {}

    std::optional<sessions::session> find(const session_id& id) override;
    std::optional<sessions::session> find_active(user_id user, const meeting_id& meeting) override;
    void insert(const sessions::session& s) override;
    bool touch(const session_id& id, user_id owner, timestamp at) override;
    bool mark_ended(const sessions::session& ended) override;
    std::vector<sessions::session> active_in_meeting(const meeting_id& meeting) override;
    std::vector<sessions::session> active_in_occurrence(occurrence_id occurrence) override;
    std::vector<sessions::session> in_occurrence(occurrence_id occurrence) override;
    std::vector<sessions::session> in_series(
        const meeting_id& meeting, timestamp from, timestamp to
    ) override;
    std::vector<sessions::session> idle_since(timestamp cutoff, std::size_t limit) override;
    std::vector<sessions::session> list_for_user(
        user_id user, const sessions::session_filter& filter
    ) override;
    sessions::session_stats stats() override;
    bool claim_cleanup_pass(timestamp now, std::chrono::milliseconds min_gap) override;

private:
    typename D::connection& db_;
};

namespace detail {

template <class Query>
sessions::session read_session(const Query& q) {
    sessions::session s;
    s.id = session_id{q.text(0)};
    s.user = user_id{q.int64(1)};
    s.meeting = meeting_id{q.text(2)};
    s.participant_name = q.text(3);
    s.name_key = q.text(4);
    s.device = q.optional_text(5);
    s.join_time = from_epoch_ms(q.int64(6));
    s.last_activity = from_epoch_ms(q.int64(7));
    if (const auto t = q.optional_int64(8))
        s.leave_time = from_epoch_ms(*t);
    s.duration_minutes = q.optional_real(9);
    s.active = q.boolean(10);
    if (!q.is_null(11))
        s.reason = sessions::parse_end_reason(q.text_view(11));
    if (const auto id = q.optional_int64(12))
        s.student = student_id{*id};
    if (!q.is_null(13))
        s.matched_by = sessions::parse_match_rule(q.text_view(13));
    s.occurrence = occurrence_id{q.optional_int64(14).value_or(0)};
    return s;
}

/// `expected`: the caller's row limit, reserved so the rows are not moved while reading.
template <class Query>
std::vector<sessions::session> read_sessions(Query& q, std::size_t expected = 0) {
    std::vector<sessions::session> out;
    out.reserve(expected);
    while (q.step())
        out.push_back(read_session(q));
    return out;
}

}  // namespace detail

template <dialect D>
std::optional<sessions::session> session_repository<D>::find(const session_id& id) {
    const auto parts = sessions::parse_session_id(id.value());
    if (!parts)
        return std::nullopt;
    auto q = db_.prepare(D::sessions.select_one);
    q.with(parts->user.value(), parts->join_time_ms, id.value());
    if (!q.step())
        return std::nullopt;
    return detail::read_session(q);
}

template <dialect D>
std::optional<sessions::session> session_repository<D>::find_active(
    user_id user, const meeting_id& meeting
) {
    auto q = db_.prepare(D::sessions.select_active);
    q.with(user.value(), meeting.value());
    if (!q.step())
        return std::nullopt;
    return detail::read_session(q);
}

template <dialect D>
void session_repository<D>::insert(const sessions::session& s) {
    std::optional<std::int64_t> student;
    if (s.student)
        student = s.student->value();
    std::optional<std::string_view> reason;
    if (s.reason)
        reason = sessions::to_string(*s.reason);
    std::optional<std::string_view> matched_by;
    if (s.matched_by)
        matched_by = sessions::to_string(*s.matched_by);
    db_.prepare(D::sessions.insert_session)
        .with(
            s.id.value(), s.user.value(), s.meeting.value(), s.participant_name, s.name_key,
            s.device, to_epoch_ms(s.join_time), to_epoch_ms(s.last_activity),
            detail::epoch(s.leave_time), s.duration_minutes, s.active, reason, student, matched_by,
            s.occurrence.value()
        )
        .run();
}

template <dialect D>
bool session_repository<D>::touch(const session_id& id, user_id owner, timestamp at) {
    const auto parts = sessions::parse_session_id(id.value());
    if (!parts || parts->user != owner)
        return false;
    return db_.prepare(D::sessions.touch_session)
               .with(owner.value(), parts->join_time_ms, id.value(), to_epoch_ms(at))
               .run() == 1;
}

template <dialect D>
bool session_repository<D>::mark_ended(const sessions::session& ended) {
    std::optional<std::string_view> reason;
    if (ended.reason)
        reason = sessions::to_string(*ended.reason);
    return db_.prepare(D::sessions.end_session)
               .with(
                   ended.user.value(), to_epoch_ms(ended.join_time), ended.id.value(),
                   detail::epoch(ended.leave_time), ended.duration_minutes, reason
               )
               .run() == 1;
}

template <dialect D>
std::vector<sessions::session> session_repository<D>::active_in_meeting(const meeting_id& meeting) {
    auto q = db_.prepare(D::sessions.select_meeting_active);
    q.with(meeting.value());
    return detail::read_sessions(q);
}

template <dialect D>
std::vector<sessions::session> session_repository<D>::active_in_occurrence(occurrence_id occurrence
) {
    auto q = db_.prepare(D::sessions.select_occurrence_active);
    q.with(occurrence.value());
    return detail::read_sessions(q);
}

template <dialect D>
std::vector<sessions::session> session_repository<D>::in_occurrence(occurrence_id occurrence) {
    auto q = db_.prepare(D::sessions.select_occurrence_all);
    q.with(occurrence.value());
    return detail::read_sessions(q);
}

template <dialect D>
std::vector<sessions::session> session_repository<D>::in_series(
    const meeting_id& meeting, timestamp from, timestamp to
) {
    auto q = db_.prepare(D::sessions.select_series);
    q.with(meeting.value(), to_epoch_ms(from), to_epoch_ms(to));
    return detail::read_sessions(q);
}

template <dialect D>
std::vector<sessions::session> session_repository<D>::idle_since(
    timestamp cutoff, std::size_t limit
) {
    auto q = db_.prepare(D::sessions.select_idle);
    q.with(to_epoch_ms(cutoff), limit);
    return detail::read_sessions(q);
}

template <dialect D>
std::vector<sessions::session> session_repository<D>::list_for_user(
    user_id user, const sessions::session_filter& filter
) {
    const auto before =
        filter.before ? to_epoch_ms(*filter.before) : std::numeric_limits<std::int64_t>::max();
    auto q =
        db_.prepare(filter.active ? D::sessions.select_user_by_state : D::sessions.select_user_all);
    q.with(user.value(), before, filter.limit);
    if (filter.active)
        q.bind(3, *filter.active);
    return detail::read_sessions(q, filter.limit);
}

template <dialect D>
sessions::session_stats session_repository<D>::stats() {
    sessions::session_stats s;
    {
        auto q = db_.prepare(D::sessions.select_stats);
        if (q.step()) {
            s.total_active = q.int64(0);
            s.active_users = q.int64(1);
            s.active_meetings = q.int64(2);
            s.active_admins = q.int64(3);
            s.active_plain_users = q.int64(4);
            s.students_with_sessions = q.int64(5);
        }
    }
    {
        auto q = db_.prepare(D::sessions.count_expired);
        if (q.step())
            s.sessions_expired = q.int64(0);
    }
    {
        auto q = db_.prepare(D::sessions.select_last_cleanup);
        if (q.step())
            s.last_cleanup = from_epoch_ms(q.int64(0));
    }
    return s;
}

template <dialect D>
bool session_repository<D>::claim_cleanup_pass(timestamp now, std::chrono::milliseconds min_gap) {
    if (!D::lock_expiry_pass(db_))
        return false;
    const auto at = to_epoch_ms(now);
    return db_.prepare(D::sessions.claim_cleanup).with(at, at - min_gap.count()).run() == 1;
}

}  // namespace headcount::store::sql
