// The participant and roster repositories' statements on SQLite.
#include "store/sql/columns.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

#define CANDIDATES                                                                          \
    "SELECT s.session_id, s.user_id FROM user_sessions s JOIN users u ON u.id = s.user_id " \
    "LEFT JOIN students st ON st.student_id = s.student_id WHERE s.occurrence_id = ?1 AND " \
    "s.is_active = 1 AND NOT EXISTS (SELECT 1 FROM zoom_participants p "                    \
    "WHERE p.occurrence_id = s.occurrence_id AND p.user_id = s.user_id) "
// The participants of the meeting's occurrences that began between ?2 and ?3.
#define IN_SERIES                                                          \
    "(SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = ?1 AND " \
    "coalesce(o.start_time, o.first_seen_at) BETWEEN ?2 AND ?3)"

const sql::participant_queries dialect::participants{
    .insert_delivery =
        "INSERT OR IGNORE INTO zoom_deliveries (event, occurrence_id, participant_key, event_time, "
        "received_at) "
        "VALUES (?, ?, ?, ?, ?)",
    .insert_participant =
        "INSERT INTO zoom_participants (meeting_id, participant_key, participant_id, zoom_user_id, "
        "participant_name, name_key, email, email_key, customer_key, occurrence_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    .update_participant =
        "UPDATE zoom_participants SET "
        "zoom_user_id = coalesce(?2, zoom_user_id), "
        "participant_name = coalesce(?3, participant_name), "
        "name_key = CASE WHEN ?4 <> '' THEN ?4 ELSE name_key END, "
        "email = coalesce(?5, email), email_key = coalesce(?6, email_key), "
        "customer_key = coalesce(?7, customer_key) WHERE id = ?1",
    .select_by_key = "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
                     " FROM zoom_participants WHERE occurrence_id = ? AND "
                     "participant_key = ?",
    .select_row = "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS " FROM zoom_participants WHERE id = ?",
    .insert_mark =
        "INSERT OR IGNORE INTO zoom_participant_events (participant_row, at, kind) VALUES (?, ?, "
        "?)",
    .select_marks =
        "SELECT at, kind FROM zoom_participant_events WHERE participant_row = ? ORDER BY at",
    .update_active = "UPDATE zoom_participants SET is_active = ? WHERE id = ?",
    .select_active_rows =
        "SELECT id FROM zoom_participants WHERE occurrence_id = ? AND is_active = 1",
    .select_occurrence = "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
                         " FROM zoom_participants WHERE occurrence_id = ? ORDER BY id",
    .select_occurrence_marks =
        "SELECT e.participant_row, e.at, e.kind FROM zoom_participant_events e "
        "JOIN zoom_participants p ON p.id = e.participant_row WHERE p.occurrence_id = ? ORDER BY "
        "e.participant_row, e.at",
    .select_series = "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
                     " FROM zoom_participants WHERE occurrence_id IN " IN_SERIES " ORDER BY id",
    .select_series_marks =
        "SELECT e.participant_row, e.at, e.kind FROM zoom_participant_events e "
        "JOIN zoom_participants p ON p.id = e.participant_row WHERE p.occurrence_id IN " IN_SERIES
        " ORDER BY e.participant_row, e.at",
    .select_any_in_occurrence = "SELECT 1 FROM zoom_participants WHERE occurrence_id = ? LIMIT 1",
    .select_linked = "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
                     " FROM zoom_participants WHERE occurrence_id = ? AND user_id = ? ORDER BY id",
    .select_unlinked_email =
        "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
        " FROM zoom_participants "
        "WHERE occurrence_id = ? AND user_id IS NULL AND email_key = ? ORDER BY id LIMIT ?",
    .select_unlinked_key =
        "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
        " FROM zoom_participants "
        "WHERE occurrence_id = ? AND user_id IS NULL AND customer_key = ? ORDER BY id LIMIT ?",
    .select_unlinked_name =
        "SELECT " HEADCOUNT_PARTICIPANT_COLUMNS
        " FROM zoom_participants WHERE occurrence_id = ? AND user_id IS NULL "
        "AND name_key <> '' AND name_key IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?",
    .link_participant =
        "UPDATE zoom_participants SET user_id = ?, session_id = ?, linked_by = ? WHERE id = ? AND "
        "user_id IS NULL",
    .follow = "UPDATE zoom_participants SET session_id = ? WHERE occurrence_id = ? AND user_id = ?",
    .sessions_by_email = CANDIDATES "AND u.email_key = ?2 ORDER BY s.join_time LIMIT ?3",
    .sessions_by_user = CANDIDATES "AND s.user_id = ?2 ORDER BY s.join_time LIMIT ?3",
    .sessions_by_name = CANDIDATES
    "AND (s.name_key = ?2 OR u.username_key = ?2 OR st.name_key = ?2) ORDER BY s.join_time LIMIT "
    "?3",
    .select_active_session =
        "SELECT session_id FROM user_sessions WHERE occurrence_id = ? AND user_id = ? AND "
        "is_active = 1",
};

const sql::roster_queries dialect::rosters{
    .delete_roster = "DELETE FROM meeting_roster WHERE meeting_id = ?",
    .insert_roster = "INSERT OR IGNORE INTO meeting_roster (meeting_id, student_id) VALUES (?, ?)",
    .select_roster =
        "SELECT student_id FROM meeting_roster WHERE meeting_id = ? ORDER BY student_id",
};

#undef CANDIDATES
#undef IN_SERIES

}  // namespace headcount::store::sqlite
