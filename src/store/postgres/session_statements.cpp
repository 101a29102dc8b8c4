// The session repository's statements on PostgreSQL.
#include "store/postgres/dialect.hpp"
#include "store/sql/columns.hpp"

namespace headcount::store::postgres {

const sql::session_queries dialect::sessions{
    // A session is found by the user and join time its id carries, as on SQLite.
    .select_one = "SELECT " HEADCOUNT_SESSION_COLUMNS
                  " FROM user_sessions WHERE user_id = $1 AND join_time = $2 "
                  "AND session_id = $3",
    .select_active = "SELECT " HEADCOUNT_SESSION_COLUMNS
                     " FROM user_sessions WHERE user_id = $1 AND meeting_id = $2 AND is_active",
    .insert_session = "INSERT INTO user_sessions (" HEADCOUNT_SESSION_COLUMNS
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                      "$15)",
    .touch_session =
        "UPDATE user_sessions SET last_activity = $4 WHERE user_id = $1 AND join_time = $2 AND "
        "session_id = $3 AND is_active",
    .end_session =
        "UPDATE user_sessions SET is_active = FALSE, leave_time = $4, duration = $5, end_reason = "
        "$6 "
        "WHERE user_id = $1 AND join_time = $2 AND session_id = $3 AND is_active",
    .select_meeting_active =
        "SELECT " HEADCOUNT_SESSION_COLUMNS
        " FROM user_sessions WHERE occurrence_id IN "
        "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = $1) AND is_active "
        "ORDER BY join_time, session_id",
    .select_occurrence_active = "SELECT " HEADCOUNT_SESSION_COLUMNS
                                " FROM user_sessions WHERE occurrence_id = $1 AND is_active "
                                "ORDER BY join_time, session_id",
    .select_occurrence_all = "SELECT " HEADCOUNT_SESSION_COLUMNS
                             " FROM user_sessions WHERE occurrence_id = $1 "
                             "ORDER BY join_time, session_id",
    .select_series = "SELECT " HEADCOUNT_SESSION_COLUMNS
                     " FROM user_sessions WHERE occurrence_id IN "
                     "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = $1 AND "
                     "coalesce(o.start_time, o.first_seen_at) BETWEEN $2 AND $3) "
                     "ORDER BY join_time, session_id",
    .select_idle = "SELECT " HEADCOUNT_SESSION_COLUMNS
                   " FROM user_sessions WHERE is_active AND last_activity < $1 "
                   "ORDER BY last_activity LIMIT $2",
    // One statement per filter combination keeps every query on the (user_id, join_time) index.
    .select_user_all = "SELECT " HEADCOUNT_SESSION_COLUMNS
                       " FROM user_sessions WHERE user_id = $1 AND join_time < $2 "
                       "ORDER BY join_time DESC, session_id DESC LIMIT $3",
    .select_user_by_state =
        "SELECT " HEADCOUNT_SESSION_COLUMNS
        " FROM user_sessions WHERE user_id = $1 AND join_time < $2 AND is_active = $4 "
        "ORDER BY join_time DESC, session_id DESC LIMIT $3",
    .select_stats =
        "SELECT count(*), count(DISTINCT s.user_id), count(DISTINCT s.meeting_id), "
        "count(DISTINCT CASE WHEN u.role = 'admin' THEN s.user_id END), "
        "count(DISTINCT CASE WHEN u.role = 'user' THEN s.user_id END), count(DISTINCT "
        "s.student_id) "
        "FROM user_sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.is_active",
    .count_expired = "SELECT count(*) FROM user_sessions WHERE end_reason = 'expired'",
    .select_last_cleanup = "SELECT last_run_at FROM maintenance_runs WHERE task = 'session-expiry'",
    .claim_cleanup =
        "INSERT INTO maintenance_runs (task, last_run_at) VALUES ('session-expiry', $1) "
        "ON CONFLICT (task) DO UPDATE SET last_run_at = excluded.last_run_at "
        "WHERE maintenance_runs.last_run_at <= $2",
};

}  // namespace headcount::store::postgres
