#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/user.hpp"
#include "common/clock.hpp"
#include "common/domain_event.hpp"
#include "common/errors.hpp"
#include "config/settings.hpp"
#include "sessions/repositories.hpp"

namespace headcount::sessions {

/// What join-meeting receives (already type-checked by the handler).
struct join_request {
    meeting_id meeting;
    std::optional<std::string> participant_name;  ///< as the client gave it, trimmed
    std::optional<std::string> device;
};

struct join_result {
    session joined;
    std::optional<student_match> student;
    bool created = false;  ///< false: the user already had this active session (idempotent join)
};

/// An active session with the people it is about, for the admin's participant list.
struct session_details {
    session s;
    auth::user user;
    std::optional<student_match> student;
};

/// The seed's UserSessionManager: the life of user sessions — join, heartbeat, leave,
/// meeting end and expiry — with every change kept in storage and announced as a domain
/// event once it commits. Stateless apart from settings: thread-safe, and each call runs
/// inside the caller's storage transaction.
class session_service {
public:
    session_service(const clock& clk, config::session_settings settings)
        : clock_(clk), settings_(settings) {}

    /// Registers `user` for attendance of a meeting, in the occurrence `occurrences` gives.
    /// Idempotent while the user has an active session there: that session is answered again
    /// (and counts as activity). The seed's meeting page sends the participant name
    /// "Auto-detected from token": like no name, it stands for the username.
    join_result join(
        session_store& store,
        event_sink& events,
        const auth::user& user,
        const join_request& request,
        occurrence_chooser& occurrences
    ) const;

    /// Ends a session of the actor's own, or anyone's for an admin; anything else is
    /// `no_active_session` (someone else's session looks like none at all).
    outcome<session> leave(
        session_store& store, event_sink& events, const auth::user& actor, const session_id& id
    ) const;

    /// The owner's heartbeat; returns the new last activity.
    outcome<timestamp> record_activity(
        session_store& store, const auth::user& owner, const session_id& id
    ) const;

    std::vector<session> sessions_of(
        session_store& store, user_id user, const session_filter& filter
    ) const;

    /// The active sessions of a meeting with their users and students, oldest first.
    std::vector<session_details> active_participants(
        session_store& store, const meeting_id& meeting
    ) const;

    /// Ends every active session of a meeting (reason `meeting-ended`); returns how many.
    std::size_t end_meeting(
        session_store& store, event_sink& events, const auth::user& admin, const meeting_id& meeting
    ) const;

    /// Zoom ended an occurrence at `end`: its active sessions end then (reason
    /// `meeting-ended`), announced as an admin's end is, `endedBy` naming Zoom. Returns how
    /// many ended.
    std::size_t end_occurrence(
        session_store& store,
        event_sink& events,
        const meeting_id& meeting,
        occurrence_id occurrence,
        timestamp end
    ) const;

    session_stats stats(session_store& store) const;

    /// One expiry pass: ends sessions idle for longer than the session timeout at their
    /// last activity (reason `expired`). Skipped (nullopt) when another instance on the same
    /// database ran one within the last half interval; otherwise how many expired.
    std::optional<std::size_t> expire_idle(session_store& store, event_sink& events) const;

    const config::session_settings& settings() const { return settings_; }

private:
    session end_now(session s, timestamp at, end_reason reason) const;
    void announce_left(event_sink& events, const session& s, const auth::user& owner) const;
    /// Ends `active` at `at` (reason `meeting-ended`, never before a session's join) with a
    /// `userLeftMeeting` each and one `meetingSessionsEnded` carrying `ended_by`.
    std::size_t end_all(
        session_store& store,
        event_sink& events,
        std::vector<session> active,
        timestamp at,
        const meeting_id& meeting,
        boost::json::object ended_by,
        std::optional<occurrence_id> occurrence
    ) const;

    const clock& clock_;
    config::session_settings settings_;
};

}  // namespace headcount::sessions
