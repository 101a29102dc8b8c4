// The meeting repository's statements on PostgreSQL.
#include "store/postgres/dialect.hpp"
#include "store/sql/columns.hpp"

namespace headcount::store::postgres {

const sql::meeting_queries dialect::meetings{
    .upsert_seen =
        "INSERT INTO meetings (meeting_id, status, first_seen_at, last_seen_at) VALUES ($1, "
        "'scheduled', $2, $2) "
        "ON CONFLICT (meeting_id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    .upsert_details =
        "INSERT INTO meetings (meeting_id, uuid, topic, host_id, status, first_seen_at, "
        "last_seen_at) "
        "VALUES ($1, $2, $3, $4, 'scheduled', $5, $5) ON CONFLICT (meeting_id) DO UPDATE SET "
        "uuid = coalesce(excluded.uuid, meetings.uuid), topic = coalesce(excluded.topic, "
        "meetings.topic), host_id = coalesce(excluded.host_id, meetings.host_id), "
        "last_seen_at = excluded.last_seen_at",
    .select_one = "SELECT " HEADCOUNT_MEETING_COLUMNS " FROM meetings m WHERE m.meeting_id = $1",
    .update_schedule =
        "UPDATE meetings SET start_time = $2, end_time = $3, status = $4 WHERE meeting_id = $1",
    // A participant is a Zoom participant, or a user whose sessions no Zoom participant is linked
    // to.
    .select_list =
        "SELECT " HEADCOUNT_MEETING_COLUMNS
        ", "
        "(SELECT count(*) FROM zoom_participants p WHERE p.meeting_id = m.meeting_id), "
        "(SELECT count(*) FROM zoom_participants p WHERE p.meeting_id = m.meeting_id AND "
        "p.is_active), "
        "(SELECT count(DISTINCT s.user_id) FROM user_sessions s WHERE s.meeting_id = m.meeting_id "
        "AND "
        "NOT EXISTS "
        "  (SELECT 1 FROM zoom_participants p WHERE p.meeting_id = s.meeting_id AND p.user_id = "
        "s.user_id)), "
        "(SELECT count(DISTINCT s.user_id) FROM user_sessions s WHERE s.meeting_id = m.meeting_id "
        "AND "
        "s.is_active "
        "  AND NOT EXISTS (SELECT 1 FROM zoom_participants p WHERE p.meeting_id = s.meeting_id AND "
        "p.user_id = s.user_id)), "
        "(SELECT count(*) FROM user_sessions s WHERE s.meeting_id = m.meeting_id AND s.is_active) "
        "FROM meetings m ORDER BY coalesce(m.start_time, m.first_seen_at) DESC, m.meeting_id",
};

}  // namespace headcount::store::postgres
