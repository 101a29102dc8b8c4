#pragma once

#include <optional>
#include <string>

#include "attendance/attendance_service.hpp"
#include "attendance/repositories.hpp"
#include "common/clock.hpp"
#include "common/domain_event.hpp"
#include "sessions/session_service.hpp"

namespace headcount::attendance {

/// What a source of attendance (Zoom's webhooks; later its participant reports) says about
/// the occurrence something happened in.
struct reported_occurrence {
    meeting_id meeting;
    std::optional<std::string> uuid;  ///< Zoom's name for the occurrence, when given
    std::optional<std::string> topic;
    std::optional<std::string> host_id;
    std::optional<timestamp> start_time;  ///< the occurrence's start, as the source gives it
};

/// The life of a meeting's occurrences: which occurrence a report lands in, its start and
/// end, the participants Zoom reports in it, and which occurrence a web session belongs to.
/// Every source of attendance calls these same operations, so they agree. Stateless apart
/// from settings; each call runs inside the caller's storage transaction.
class occurrence_service {
public:
    occurrence_service(
        const clock& clk,
        const attendance_service& attendance,
        const sessions::session_service& sessions
    )
        : clock_(clk), attendance_(attendance), sessions_(sessions) {}

    /// The occurrence something reported at `at` belongs to: the one Zoom's uuid names, even
    /// when the report comes late or out of order; without a uuid, the occurrence live at
    /// `at`. A report that names no known occurrence opens a new one (see open()), so a
    /// `meeting.started` for a new uuid never reopens an old occurrence. Keeps the meeting's
    /// topic and host as reported.
    occurrence locate(attendance_store& store, const reported_occurrence& r, timestamp at) const;

    /// Zoom said the occurrence started at `start`; one that ended stays ended.
    void start(attendance_store& store, occurrence& o, timestamp start) const;

    /// Zoom said the occurrence ended at `end`: stays still open close then, and its web
    /// sessions end at `end` (reason `meeting-ended`) with `userLeftMeeting` each and one
    /// `meetingSessionsEnded`, as an admin's end announces them.
    void end(
        attendance_store& store,
        event_sink& events,
        occurrence& o,
        timestamp end,
        std::optional<timestamp> start
    ) const;

    /// Zoom reported a participant joining (or leaving) at `at`: the time is kept, the
    /// occurrence is live unless it ended, `zoomParticipantJoined`/`Left` is raised, and a
    /// joining participant is linked with an active session (linker).
    zoom_participant record_presence(
        attendance_store& store,
        event_sink& events,
        occurrence& o,
        const identity& who,
        timestamp at,
        bool joined,
        std::optional<timestamp> start
    ) const;

    /// Which occurrence a web session starting at `at` belongs to.
    struct session_occurrence {
        occurrence_id id;
        bool opened = false;  ///< a pending occurrence opened for this session: nobody in it yet
    };
    /// The meeting's live occurrence, else the one opened for sessions before Zoom reports the
    /// next start (created when there is none).
    session_occurrence for_session(attendance_store& store, const meeting_id& meeting, timestamp at)
        const;

private:
    /// A new occurrence starting at `start`. Sessions of the meeting in occurrences Zoom had
    /// not reported that joined from the early-join window before `start` until Zoom's
    /// deliveries about it could still arrive move to it; those occurrences, left empty, go.
    occurrence open(attendance_store& store, const reported_occurrence& r, timestamp start) const;
    void keep_details(attendance_store& store, const reported_occurrence& r) const;

    const clock& clock_;
    const attendance_service& attendance_;
    const sessions::session_service& sessions_;
};

}  // namespace headcount::attendance
