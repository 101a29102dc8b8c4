#pragma once

// The columns each row reader of store/sql reads, in the order it reads them; the
// backends' statements (store/*/*_statements.cpp) select them with these lists.

#define HEADCOUNT_USER_COLUMNS "id, username, email, role, student_id, password_hash"
#define HEADCOUNT_STUDENT_COLUMNS "student_id, first_name, last_name, department, email"
#define HEADCOUNT_MEETING_COLUMNS "m.meeting_id, m.topic, m.host_id, m.first_seen_at"
#define HEADCOUNT_OCCURRENCE_COLUMNS \
    "o.id, o.meeting_id, o.uuid, o.start_time, o.end_time, o.status, o.first_seen_at"
#define HEADCOUNT_SESSION_COLUMNS                                                          \
    "session_id, user_id, meeting_id, participant_name, name_key, device, join_time, "     \
    "last_activity, leave_time, duration, is_active, end_reason, student_id, matched_by, " \
    "occurrence_id"
#define HEADCOUNT_PARTICIPANT_COLUMNS                                                             \
    "id, meeting_id, participant_key, participant_id, zoom_user_id, participant_name, name_key, " \
    "email, customer_key, is_active, user_id, session_id, linked_by, occurrence_id"
