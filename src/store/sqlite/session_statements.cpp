// The session repository's statements on SQLite.
#include "store/sql/columns.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

const sql::session_queries dialect::sessions{
    // A session is found by the user and join time its id carries (user_sessions_by_user).
    .select_one = "SELECT " HEADCOUNT_SESSION_COLUMNS
                  " FROM user_sessions WHERE user_id = ?1 AND join_time = ?2 "
                  "AND session_id = ?3",
    .select_active = "SELECT " HEADCOUNT_SESSION_COLUMNS
                     " FROM user_sessions WHERE user_id = ? AND meeting_id = ? AND is_active = 1",
    .insert_session = "INSERT INTO user_sessions (" HEADCOUNT_SESSION_COLUMNS
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    .touch_session =
        "UPDATE user_sessions SET last_activity = ?4 WHERE user_id = ?1 AND join_time = ?2 AND "
        "session_id = ?3 AND is_active = 1",
    .end_session =
        "UPDATE user_sessions SET is_active = 0, leave_time = ?4, duration = ?5, end_reason = ?6 "
        "WHERE user_id = ?1 AND join_time = ?2 AND session_id = ?3 AND is_active = 1",
    .select_meeting_active =
        "SELECT " HEADCOUNT_SESSION_COLUMNS
        " FROM user_sessions WHERE occurrence_id IN "
        "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = ?) AND is_active = 1 "
        "ORDER BY join_time, session_id",
    .select_occurrence_active = "SELECT " HEADCOUNT_SESSION_COLUMNS
                                " FROM user_sessions WHERE occurrence_id = ? AND is_active = 1 "
                                "ORDER BY join_time, session_id",
    .select_occurrence_all = "SELECT " HEADCOUNT_SESSION_COLUMNS
                             " FROM user_sessions WHERE occurrence_id = ? "
                             "ORDER BY join_time, session_id",
    .select_series = "SELECT " HEADCOUNT_SESSION_COLUMNS
                     " FROM user_sessions WHERE occurrence_id IN "
                     "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = ?1 AND "
                     "coalesce(o.start_time, o.first_seen_at) BETWEEN ?2 AND ?3) "
                     "ORDER BY join_time, session_id",
    .select_idle = "SELECT " HEADCOUNT_SESSION_COLUMNS
                   " FROM user_sessions WHERE is_active = 1 AND last_activity < ? "
                   "ORDER BY last_activity LIMIT ?",
    // One statement per filter combination keeps every query on the (user_id, join_time) index.
    .select_user_all = "SELECT " HEADCOUNT_SESSION_COLUMNS
                       " FROM user_sessions WHERE user_id = ?1 AND join_time < ?2 "
                       "ORDER BY join_time DESC, session_id DESC LIMIT ?3",
    .select_user_by_state =
        "SELECT " HEADCOUNT_SESSION_COLUMNS
        " FROM user_sessions WHERE user_id = ?1 AND join_time < ?2 AND is_active = ?4 "
        "ORDER BY join_time DESC, session_id DESC LIMIT ?3",
    .select_stats =
        "SELECT count(*), count(DISTINCT s.user_id), count(DISTINCT s.meeting_id), "
        "count(DISTINCT CASE WHEN u.role = 'admin' THEN s.user_id END), "
        "count(DISTINCT CASE WHEN u.role = 'user' THEN s.user_id END), count(DISTINCT "
        "s.student_id) "
        "FROM user_sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.is_active = 1",
    .count_expired = "SELECT count(*) FROM user_sessions WHERE end_reason = 'expired'",
    .select_last_cleanup = "SELECT last_run_at FROM maintenance_runs WHERE task = 'session-expiry'",
    .claim_cleanup =
        "INSERT INTO maintenance_runs (task, last_run_at) VALUES ('session-expiry', ?1) "
        "ON CONFLICT (task) DO UPDATE SET last_run_at = excluded.last_run_at "
        "WHERE maintenance_runs.last_run_at <= ?2",
};

}  // namespace headcount::store::sqlite
