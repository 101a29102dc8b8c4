#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "attendance/meeting.hpp"
#include "attendance/meeting_snapshot.hpp"
#include "attendance/zoom_participant.hpp"
#include "sessions/repositories.hpp"

namespace headcount::attendance {

/// Meetings (series) with what stays the same across their occurrences. Used inside one
/// storage transaction.
class meeting_repository {
public:
    virtual ~meeting_repository() = default;

    virtual std::optional<meeting> find(const meeting_id& id) = 0;
    /// Creates the meeting (first seen `now`) when it is new, and keeps the details given
    /// here that are present.
    virtual void record_details(
        const meeting_id& id,
        const std::optional<std::string>& topic,
        const std::optional<std::string>& host_id,
        timestamp now
    ) = 0;
    /// Every meeting with its latest occurrence and their counts, newest first (by when the
    /// latest occurrence began, else when the meeting was first seen).
    virtual std::vector<meeting_summary> list() = 0;
};

/// The occurrences of meetings. Used inside one storage transaction.
class occurrence_repository {
public:
    virtual ~occurrence_repository() = default;

    /// The occurrence `id` if it is one of the meeting's.
    virtual std::optional<occurrence> find(const meeting_id& meeting, occurrence_id id) = 0;
    virtual std::optional<occurrence> find_by_uuid(
        const meeting_id& meeting, std::string_view uuid
    ) = 0;
    /// The occurrence Zoom reported that holds `at`: started by then and not ended before it.
    /// Else one starting within `ahead` after `at` that is not over; the latest start first.
    virtual std::optional<occurrence> live_at(
        const meeting_id& meeting, timestamp at, std::chrono::milliseconds ahead
    ) = 0;
    /// The meeting's latest live occurrence, else its latest pending one (see
    /// occurrence::pending).
    virtual std::optional<occurrence> current(const meeting_id& meeting) = 0;
    /// The occurrence that began last (Zoom's start, else first seen).
    virtual std::optional<occurrence> latest(const meeting_id& meeting) = 0;
    /// Stores a new occurrence; its id.
    virtual occurrence_id insert(const occurrence& o) = 0;
    /// Stores uuid, start, end and status.
    virtual void save(const occurrence& o) = 0;
    /// Moves the sessions of the meeting's pending occurrences that joined in [since, until]
    /// to `to` (stored, with its start), then removes the pending occurrences left without
    /// sessions. Nothing moves when an occurrence Zoom reported starts after `to`: those
    /// sessions wait for that one's successor, not for an earlier occurrence reported late.
    virtual void adopt_sessions(const occurrence& to, timestamp since, timestamp until) = 0;
    /// The meeting's occurrences with their counts, newest first.
    virtual std::vector<occurrence_summary> list(const meeting_id& meeting) = 0;
    /// The meeting's occurrences that began in [from, to], oldest first.
    virtual std::vector<occurrence> between(
        const meeting_id& meeting, timestamp from, timestamp to
    ) = 0;
};

/// An active user session a Zoom participant may be linked with.
struct session_candidate {
    session_id session;
    user_id user;
};

/// Zoom participants, their join/leave marks, webhook deliveries and links; one person in one
/// occurrence is one participant.
class participant_repository {
public:
    virtual ~participant_repository() = default;

    /// Records a delivery; false when the same (event, occurrence, participant, time) was
    /// applied before (a redelivery).
    virtual bool record_delivery(
        std::string_view event,
        occurrence_id occurrence,
        std::string_view participant_key,
        timestamp event_time,
        timestamp now
    ) = 0;
    /// The participant of `who` in the occurrence, created when new; details present in `who`
    /// replace stored ones.
    virtual zoom_participant upsert(const occurrence& in, const identity& who) = 0;
    virtual std::optional<zoom_participant> find_row(std::int64_t row) = 0;
    virtual void add_mark(std::int64_t row, const mark& m) = 0;
    virtual std::vector<mark> marks(std::int64_t row) = 0;
    virtual void set_active(std::int64_t row, bool active) = 0;
    /// Rows of the occurrence's participants with an open interval.
    virtual std::vector<std::int64_t> active_rows(occurrence_id occurrence) = 0;
    virtual std::vector<zoom_participant> in_occurrence(occurrence_id occurrence) = 0;
    /// Every mark of the occurrence's participants, as (row, mark).
    virtual std::vector<std::pair<std::int64_t, mark>> marks_in_occurrence(occurrence_id occurrence
    ) = 0;
    /// The participants of the meeting's occurrences that began in [from, to].
    virtual std::vector<zoom_participant> in_series(
        const meeting_id& meeting, timestamp from, timestamp to
    ) = 0;
    virtual std::vector<std::pair<std::int64_t, mark>> marks_in_series(
        const meeting_id& meeting, timestamp from, timestamp to
    ) = 0;

    /// Whether Zoom has reported anyone in the occurrence.
    virtual bool any_in_occurrence(occurrence_id occurrence) = 0;
    /// Participants of the occurrence linked to `user`.
    virtual std::vector<zoom_participant> linked_to(occurrence_id occurrence, user_id user) = 0;
    /// At most `limit` unlinked participants of the occurrence by email (ASCII
    /// case-insensitive).
    virtual std::vector<zoom_participant> unlinked_by_email(
        occurrence_id occurrence, std::string_view email, std::size_t limit
    ) = 0;
    virtual std::vector<zoom_participant> unlinked_by_customer_key(
        occurrence_id occurrence, std::string_view key, std::size_t limit
    ) = 0;
    /// Unlinked participants whose normalised name is one of `name_keys`.
    virtual std::vector<zoom_participant> unlinked_by_name(
        occurrence_id occurrence, const std::vector<std::string>& name_keys, std::size_t limit
    ) = 0;
    /// Links a participant that is not linked yet; false when it already is.
    virtual bool link(
        std::int64_t row, user_id user, const session_id& session, link_rule rule
    ) = 0;
    /// Points the user's links in the occurrence at their new session.
    virtual void follow_session(
        occurrence_id occurrence, user_id user, const session_id& session
    ) = 0;

    /// Active sessions of the occurrence whose user no participant is linked to, by the
    /// user's email / the user id / a name (the session's participant name, the username
    /// or the matched student's full name, all normalised); at most `limit` each.
    virtual std::vector<session_candidate> unlinked_sessions_by_email(
        occurrence_id occurrence, std::string_view email, std::size_t limit
    ) = 0;
    virtual std::vector<session_candidate> unlinked_sessions_by_user(
        occurrence_id occurrence, user_id user, std::size_t limit
    ) = 0;
    virtual std::vector<session_candidate> unlinked_sessions_by_name(
        occurrence_id occurrence, std::string_view name_key, std::size_t limit
    ) = 0;
    /// The user's active session in the occurrence, if any.
    virtual std::optional<session_id> active_session_of(occurrence_id occurrence, user_id user) = 0;
};

/// Who is expected in a meeting: every occurrence of it.
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
    occurrence_repository& occurrences;
    participant_repository& participants;
    roster_repository& roster;
    snapshot_cache& snapshots;
};

}  // namespace headcount::attendance
