#pragma once

#include <optional>
#include <string>
#include <vector>

#include "attendance/meeting.hpp"
#include "attendance/meeting_snapshot.hpp"
#include "attendance/zoom_participant.hpp"
#include "sessions/repositories.hpp"

namespace headcount::attendance {

/// Meetings with what Zoom told about them. Used inside one storage transaction.
class meeting_repository {
public:
    virtual ~meeting_repository() = default;

    virtual std::optional<meeting> find(const meeting_id& id) = 0;
    /// Creates the meeting (`scheduled`, first seen `now`) when it is new, and keeps the
    /// details given here that are present.
    virtual void record_details(
        const meeting_id& id,
        const std::optional<std::string>& uuid,
        const std::optional<std::string>& topic,
        const std::optional<std::string>& host_id,
        timestamp now
    ) = 0;
    /// Stores start, end and status.
    virtual void save_schedule(const meeting& m) = 0;
    /// Every meeting with its counts, newest first (Zoom's start, else first seen).
    virtual std::vector<meeting_summary> list() = 0;
};

/// An active user session a Zoom participant may be linked with.
struct session_candidate {
    session_id session;
    user_id user;
};

/// Zoom participants, their join/leave marks, webhook deliveries and links.
class participant_repository {
public:
    virtual ~participant_repository() = default;

    /// Records a delivery; false when the same (event, meeting, participant, time) was
    /// applied before (a redelivery).
    virtual bool record_delivery(
        std::string_view event,
        const meeting_id& meeting,
        std::string_view participant_key,
        timestamp event_time,
        timestamp now
    ) = 0;
    /// The participant of `who` in the meeting, created when new; details present in `who`
    /// replace stored ones.
    virtual zoom_participant upsert(const meeting_id& meeting, const identity& who) = 0;
    virtual std::optional<zoom_participant> find_row(std::int64_t row) = 0;
    virtual void add_mark(std::int64_t row, const mark& m) = 0;
    virtual std::vector<mark> marks(std::int64_t row) = 0;
    virtual void set_active(std::int64_t row, bool active) = 0;
    /// Rows of the meeting's participants with an open interval.
    virtual std::vector<std::int64_t> active_rows(const meeting_id& meeting) = 0;
    virtual std::vector<zoom_participant> in_meeting(const meeting_id& meeting) = 0;
    /// Every mark of the meeting's participants, as (row, mark).
    virtual std::vector<std::pair<std::int64_t, mark>> marks_in_meeting(const meeting_id& meeting
    ) = 0;

    /// Whether Zoom has reported anyone in the meeting.
    virtual bool any_in_meeting(const meeting_id& meeting) = 0;
    /// Participants of the meeting linked to `user`.
    virtual std::vector<zoom_participant> linked_to(const meeting_id& meeting, user_id user) = 0;
    /// At most `limit` unlinked participants of the meeting by email (ASCII case-insensitive).
    virtual std::vector<zoom_participant> unlinked_by_email(
        const meeting_id& meeting, std::string_view email, std::size_t limit
    ) = 0;
    virtual std::vector<zoom_participant> unlinked_by_customer_key(
        const meeting_id& meeting, std::string_view key, std::size_t limit
    ) = 0;
    /// Unlinked participants whose normalised name is one of `name_keys`.
    virtual std::vector<zoom_participant> unlinked_by_name(
        const meeting_id& meeting, const std::vector<std::string>& name_keys, std::size_t limit
    ) = 0;
    /// Links a participant that is not linked yet; false when it already is.
    virtual bool link(
        std::int64_t row, user_id user, const session_id& session, link_rule rule
    ) = 0;
    /// Points the user's links in the meeting at their new session.
    virtual void follow_session(
        const meeting_id& meeting, user_id user, const session_id& session
    ) = 0;

    /// Active sessions of the meeting whose user no participant is linked to, by the
    /// user's email / the user id / a name (the session's participant name, the username
    /// or the matched student's full name, all normalised); at most `limit` each.
    virtual std::vector<session_candidate> unlinked_sessions_by_email(
        const meeting_id& meeting, std::string_view email, std::size_t limit
    ) = 0;
    virtual std::vector<session_candidate> unlinked_sessions_by_user(
        const meeting_id& meeting, user_id user, std::size_t limit
    ) = 0;
    virtual std::vector<session_candidate> unlinked_sessions_by_name(
        const meeting_id& meeting, std::string_view name_key, std::size_t limit
    ) = 0;
    /// The user's active session in the meeting, if any.
    virtual std::optional<session_id> active_session_of(
        const meeting_id& meeting, user_id user
    ) = 0;
};

/// Who is expected in a meeting.
class roster_repository {
public:
    virtual ~roster_repository() = default;
    virtual void replace(const meeting_id& meeting, const std::vector<student_id>& students) = 0;
    /// Ascending.
    virtual std::vector<student_id> of(const meeting_id& meeting) = 0;
};

/// The repositories one storage transaction offers to the attendance domain.
struct attendance_store {
    sessions::session_store& base;
    meeting_repository& meetings;
    participant_repository& participants;
    roster_repository& roster;
    snapshot_cache& snapshots;
};

}  // namespace headcount::attendance
