// The meeting and occurrence repositories' statements on SQLite.
#include "store/sql/columns.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

// The counts of occurrence `o` that sql::detail::read_occurrence_summary reads: Zoom
// participants, those in the meeting now, users with sessions no Zoom participant is linked to,
// those active, and the active sessions.
#define OCCURRENCE_COUNTS                                                                  \
    "(SELECT count(*) FROM zoom_participants p WHERE p.occurrence_id = o.id), "            \
    "(SELECT count(*) FROM zoom_participants p WHERE p.occurrence_id = o.id AND "          \
    "p.is_active = 1), "                                                                   \
    "(SELECT count(DISTINCT s.user_id) FROM user_sessions s WHERE s.occurrence_id = o.id " \
    "AND NOT EXISTS (SELECT 1 FROM zoom_participants p WHERE p.occurrence_id = o.id AND "  \
    "p.user_id = s.user_id)), "                                                            \
    "(SELECT count(DISTINCT s.user_id) FROM user_sessions s WHERE s.occurrence_id = o.id " \
    "AND s.is_active = 1 AND NOT EXISTS (SELECT 1 FROM zoom_participants p "               \
    "WHERE p.occurrence_id = o.id AND p.user_id = s.user_id)), "                           \
    "(SELECT count(*) FROM user_sessions s WHERE s.occurrence_id = o.id AND s.is_active = 1)"
// When an occurrence began: Zoom's start, else when it was first seen (the expression of the
// index meeting_occurrences_by_start).
#define BEGAN "coalesce(o.start_time, o.first_seen_at)"

const sql::meeting_queries dialect::meetings{
    .upsert_seen =
        "INSERT INTO meetings (meeting_id, first_seen_at, last_seen_at) VALUES (?1, ?2, ?2) "
        "ON CONFLICT (meeting_id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    .upsert_details =
        "INSERT INTO meetings (meeting_id, topic, host_id, first_seen_at, last_seen_at) "
        "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (meeting_id) DO UPDATE SET "
        "topic = coalesce(excluded.topic, topic), host_id = coalesce(excluded.host_id, host_id), "
        "last_seen_at = excluded.last_seen_at",
    .select_one = "SELECT " HEADCOUNT_MEETING_COLUMNS " FROM meetings m WHERE m.meeting_id = ?",
    .select_list =
        "SELECT " HEADCOUNT_MEETING_COLUMNS ", " HEADCOUNT_OCCURRENCE_COLUMNS ", " OCCURRENCE_COUNTS
        ", (SELECT count(*) FROM meeting_occurrences c WHERE c.meeting_id = m.meeting_id) "
        "FROM meetings m LEFT JOIN meeting_occurrences o ON o.id = "
        "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = m.meeting_id "
        "ORDER BY " BEGAN
        " DESC, o.id DESC LIMIT 1) "
        "ORDER BY coalesce(o.start_time, o.first_seen_at, m.first_seen_at) DESC, m.meeting_id",
};

const sql::occurrence_queries dialect::occurrences{
    .select_one = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS
                  " FROM meeting_occurrences o WHERE o.meeting_id = ?1 AND o.id = ?2",
    .select_by_uuid = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS
                      " FROM meeting_occurrences o WHERE o.meeting_id = ?1 AND o.uuid = ?2",
    // ?2: the time, ?3: the time plus how far ahead an occurrence may start. One that holds
    // the time comes before one starting after it.
    .select_live_at = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS
                      " FROM meeting_occurrences o WHERE o.meeting_id = ?1 "
                      "AND o.start_time <= ?3 AND (o.end_time IS NULL OR o.end_time >= ?2) "
                      "ORDER BY o.start_time <= ?2 DESC, o.start_time DESC, o.id DESC LIMIT 1",
    // In the index's order (no sort on the join path); the repository takes the first live.
    .select_current = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS
                      " FROM meeting_occurrences o WHERE o.meeting_id = ?1 AND o.status <> 'ended' "
                      "ORDER BY " BEGAN " DESC, o.id DESC",
    .select_latest = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS
                     " FROM meeting_occurrences o WHERE o.meeting_id = ?1 "
                     "ORDER BY " BEGAN " DESC, o.id DESC LIMIT 1",
    .insert_occurrence =
        "INSERT INTO meeting_occurrences (meeting_id, uuid, start_time, end_time, status, "
        "first_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
    .update_occurrence =
        "UPDATE meeting_occurrences SET uuid = ?2, start_time = ?3, end_time = ?4, status = ?5 "
        "WHERE id = ?1",
    .adopt_sessions =
        "UPDATE user_sessions SET occurrence_id = ?2 WHERE occurrence_id IN "
        "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = ?1 "
        "AND o.status = 'scheduled' AND o.id <> ?2) AND join_time BETWEEN ?3 AND ?5 "
        "AND NOT EXISTS (SELECT 1 FROM meeting_occurrences later WHERE later.meeting_id = ?1 "
        "AND later.status <> 'scheduled' AND later.id <> ?2 AND later.start_time > ?4)",
    .delete_empty_pending =
        "DELETE FROM meeting_occurrences WHERE meeting_id = ?1 AND status = 'scheduled' "
        "AND id <> ?2 AND NOT EXISTS "
        "(SELECT 1 FROM user_sessions s WHERE s.occurrence_id = meeting_occurrences.id)",
    .select_list = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS ", " OCCURRENCE_COUNTS
                   " FROM meeting_occurrences o WHERE o.meeting_id = ?1 "
                   "ORDER BY " BEGAN " DESC, o.id DESC",
    .select_between = "SELECT " HEADCOUNT_OCCURRENCE_COLUMNS
                      " FROM meeting_occurrences o WHERE o.meeting_id = ?1 AND " BEGAN
                      " BETWEEN ?2 AND ?3 ORDER BY " BEGAN ", o.id",
};

#undef BEGAN
#undef OCCURRENCE_COUNTS

}  // namespace headcount::store::sqlite
