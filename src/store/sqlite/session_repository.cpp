#include "store/sqlite/session_repository.hpp"

namespace headcount::store::sqlite {
namespace {

#define SESSION_COLUMNS                                                                \
    "session_id, user_id, meeting_id, participant_name, name_key, device, join_time, " \
    "last_activity, leave_time, duration, is_active, end_reason, student_id, matched_by"
// A session is found by the user and join time its id carries (user_sessions_by_user).
constexpr const char* select_one = "SELECT " SESSION_COLUMNS
                                   " FROM user_sessions WHERE user_id = ?1 AND join_time = ?2 "
                                   "AND session_id = ?3";
constexpr const char* select_active =
    "SELECT " SESSION_COLUMNS
    " FROM user_sessions WHERE user_id = ? AND meeting_id = ? AND is_active = 1";
constexpr const char* insert_session = "INSERT INTO user_sessions (" SESSION_COLUMNS
                                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* touch_session =
    "UPDATE user_sessions SET last_activity = ?4 WHERE user_id = ?1 AND join_time = ?2 AND "
    "session_id = ?3 AND is_active = 1";
constexpr const char* end_session =
    "UPDATE user_sessions SET is_active = 0, leave_time = ?4, duration = ?5, end_reason = ?6 "
    "WHERE user_id = ?1 AND join_time = ?2 AND session_id = ?3 AND is_active = 1";
constexpr const char* select_meeting_active =
    "SELECT " SESSION_COLUMNS
    " FROM user_sessions WHERE meeting_id = ? AND is_active = 1 "
    "ORDER BY join_time, session_id";
constexpr const char* select_meeting_all =
    "SELECT " SESSION_COLUMNS
    " FROM user_sessions WHERE meeting_id = ? ORDER BY join_time, session_id";
constexpr const char* select_idle = "SELECT " SESSION_COLUMNS
                                    " FROM user_sessions WHERE is_active = 1 AND last_activity < ? "
                                    "ORDER BY last_activity LIMIT ?";
// One statement per filter combination keeps every query on the (user_id, join_time) index.
constexpr const char* select_user_all = "SELECT " SESSION_COLUMNS
                                        " FROM user_sessions WHERE user_id = ?1 AND join_time < ?2 "
                                        "ORDER BY join_time DESC, session_id DESC LIMIT ?3";
constexpr const char* select_user_by_state =
    "SELECT " SESSION_COLUMNS
    " FROM user_sessions WHERE user_id = ?1 AND join_time < ?2 AND is_active = ?4 "
    "ORDER BY join_time DESC, session_id DESC LIMIT ?3";
constexpr const char* select_stats =
    "SELECT count(*), count(DISTINCT s.user_id), count(DISTINCT s.meeting_id), "
    "count(DISTINCT CASE WHEN u.role = 'admin' THEN s.user_id END), "
    "count(DISTINCT CASE WHEN u.role = 'user' THEN s.user_id END), count(DISTINCT s.student_id) "
    "FROM user_sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.is_active = 1";
constexpr const char* count_expired =
    "SELECT count(*) FROM user_sessions WHERE end_reason = 'expired'";
constexpr const char* select_last_cleanup =
    "SELECT last_run_at FROM maintenance_runs WHERE task = 'session-expiry'";
constexpr const char* claim_cleanup =
    "INSERT INTO maintenance_runs (task, last_run_at) VALUES ('session-expiry', ?1) "
    "ON CONFLICT (task) DO UPDATE SET last_run_at = excluded.last_run_at "
    "WHERE maintenance_runs.last_run_at <= ?2";
#undef SESSION_COLUMNS

sessions::session read_session(const query& q) {
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
    s.active = q.int64(10) == 1;
    if (!q.is_null(11))
        s.reason = sessions::parse_end_reason(q.text_view(11));
    if (const auto id = q.optional_int64(12))
        s.student = student_id{*id};
    if (!q.is_null(13))
        s.matched_by = sessions::parse_match_rule(q.text_view(13));
    return s;
}

/// `expected`: the caller's row limit, reserved so the rows are not moved while reading.
std::vector<sessions::session> read_all(query& q, std::size_t expected = 0) {
    std::vector<sessions::session> out;
    out.reserve(expected);
    while (q.step())
        out.push_back(read_session(q));
    return out;
}

std::optional<std::int64_t> epoch(const std::optional<timestamp>& t) {
    if (!t)
        return std::nullopt;
    return to_epoch_ms(*t);
}

}  // namespace

std::optional<sessions::session> session_repository::find(const session_id& id) {
    const auto parts = sessions::parse_session_id(id.value());
    if (!parts)
        return std::nullopt;
    auto q = db_.prepare(select_one);
    q.with(parts->user.value(), parts->join_time_ms, id.value());
    if (!q.step())
        return std::nullopt;
    return read_session(q);
}

std::optional<sessions::session> session_repository::find_active(
    user_id user, const meeting_id& meeting
) {
    auto q = db_.prepare(select_active);
    q.with(user.value(), meeting.value());
    if (!q.step())
        return std::nullopt;
    return read_session(q);
}

void session_repository::insert(const sessions::session& s) {
    std::optional<std::int64_t> student;
    if (s.student)
        student = s.student->value();
    std::optional<std::string_view> reason;
    if (s.reason)
        reason = sessions::to_string(*s.reason);
    std::optional<std::string_view> matched_by;
    if (s.matched_by)
        matched_by = sessions::to_string(*s.matched_by);
    db_.prepare(insert_session)
        .with(
            s.id.value(), s.user.value(), s.meeting.value(), s.participant_name, s.name_key,
            s.device, to_epoch_ms(s.join_time), to_epoch_ms(s.last_activity), epoch(s.leave_time),
            s.duration_minutes, s.active, reason, student, matched_by
        )
        .run();
}

bool session_repository::touch(const session_id& id, user_id owner, timestamp at) {
    const auto parts = sessions::parse_session_id(id.value());
    if (!parts || parts->user != owner)
        return false;
    return db_.prepare(touch_session)
               .with(owner.value(), parts->join_time_ms, id.value(), to_epoch_ms(at))
               .run() == 1;
}

bool session_repository::mark_ended(const sessions::session& ended) {
    std::optional<std::string_view> reason;
    if (ended.reason)
        reason = sessions::to_string(*ended.reason);
    return db_.prepare(end_session)
               .with(
                   ended.user.value(), to_epoch_ms(ended.join_time), ended.id.value(),
                   epoch(ended.leave_time), ended.duration_minutes, reason
               )
               .run() == 1;
}

std::vector<sessions::session> session_repository::active_in_meeting(const meeting_id& meeting) {
    auto q = db_.prepare(select_meeting_active);
    q.with(meeting.value());
    return read_all(q);
}

std::vector<sessions::session> session_repository::in_meeting(const meeting_id& meeting) {
    auto q = db_.prepare(select_meeting_all);
    q.with(meeting.value());
    return read_all(q);
}

std::vector<sessions::session> session_repository::idle_since(timestamp cutoff, std::size_t limit) {
    auto q = db_.prepare(select_idle);
    q.with(to_epoch_ms(cutoff), limit);
    return read_all(q);
}

std::vector<sessions::session> session_repository::list_for_user(
    user_id user, const sessions::session_filter& filter
) {
    const auto before =
        filter.before ? to_epoch_ms(*filter.before) : std::numeric_limits<std::int64_t>::max();
    auto q = db_.prepare(filter.active ? select_user_by_state : select_user_all);
    q.with(user.value(), before, filter.limit);
    if (filter.active)
        q.bind(3, *filter.active);
    return read_all(q, filter.limit);
}

sessions::session_stats session_repository::stats() {
    sessions::session_stats s;
    {
        auto q = db_.prepare(select_stats);
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
        auto q = db_.prepare(count_expired);
        if (q.step())
            s.sessions_expired = q.int64(0);
    }
    {
        auto q = db_.prepare(select_last_cleanup);
        if (q.step())
            s.last_cleanup = from_epoch_ms(q.int64(0));
    }
    return s;
}

bool session_repository::claim_cleanup_pass(timestamp now, std::chrono::milliseconds min_gap) {
    const auto at = to_epoch_ms(now);
    return db_.prepare(claim_cleanup).with(at, at - min_gap.count()).run() == 1;
}

}  // namespace headcount::store::sqlite
