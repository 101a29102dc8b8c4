#pragma once

namespace headcount::store::sql {

// The statements of each repository, written once per backend (store/sqlite/*_repository.cpp,
// store/postgres/*_repository.cpp) with the same parameters in the same order. A statement is
// prepared once per connection and cached by its text's address: these are string constants.

struct user_queries {
    const char* select_by_id;
    const char* select_by_username;
    const char* select_by_login;
    const char* select_all;
    const char* select_many;
    const char* username_taken;
    const char* email_taken;
    const char* insert_user;
    const char* update_role;
    const char* update_student;
};

struct student_queries {
    const char* select_one;
    const char* select_all;
    const char* select_by_email;
    const char* select_by_email_local;
    const char* select_by_name;
    const char* select_many;
    const char* select_by_emails;
    const char* select_by_email_locals;
    const char* select_by_names;
    const char* exists;
    const char* upsert_student;
};

struct meeting_queries {
    const char* upsert_seen;
    const char* upsert_details;
    const char* select_one;
    const char* select_list;
};

struct occurrence_queries {
    const char* select_one;
    const char* select_by_uuid;
    const char* select_live_at;
    const char* select_current;
    const char* select_latest;
    const char* insert_occurrence;
    const char* update_occurrence;
    const char* adopt_sessions;
    const char* delete_empty_pending;
    const char* select_list;
    const char* select_between;
};

struct session_queries {
    const char* select_one;
    const char* select_active;
    const char* insert_session;
    const char* touch_session;
    const char* end_session;
    const char* select_meeting_active;
    const char* select_occurrence_active;
    const char* select_occurrence_all;
    const char* select_series;
    const char* select_idle;
    const char* select_user_all;
    const char* select_user_by_state;
    const char* select_stats;
    const char* count_expired;
    const char* select_last_cleanup;
    const char* claim_cleanup;
};

struct participant_queries {
    const char* insert_delivery;
    const char* insert_participant;
    const char* update_participant;
    const char* select_by_key;
    const char* select_row;
    const char* insert_mark;
    const char* select_marks;
    const char* update_active;
    const char* select_active_rows;
    const char* select_occurrence;
    const char* select_occurrence_marks;
    const char* select_series;
    const char* select_series_marks;
    const char* select_any_in_occurrence;
    const char* select_linked;
    const char* select_unlinked_email;
    const char* select_unlinked_key;
    const char* select_unlinked_name;
    const char* link_participant;
    const char* follow;
    const char* sessions_by_email;
    const char* sessions_by_user;
    const char* sessions_by_name;
    const char* select_active_session;
};

struct roster_queries {
    const char* delete_roster;
    const char* insert_roster;
    const char* select_roster;
};

}  // namespace headcount::store::sql
