#pragma once

#include <optional>

#include "attendance/attendance_report.hpp"
#include "attendance/repositories.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "config/settings.hpp"
#include "sessions/session_service.hpp"

namespace headcount::attendance {

/// Reads what a meeting's attendance is computed from, or takes the snapshot storage kept
/// while nothing changed; null for a meeting never seen.
std::shared_ptr<const meeting_snapshot> load_snapshot(
    attendance_store& store, const meeting_id& id
);

/// The seed's "Enhanced AttendanceTracker": combines what Zoom reported with the signed-in
/// user sessions into one attendance list with statuses (CONTRACT "Attendance status").
/// Stateless apart from settings; each call runs inside the caller's storage transaction.
class attendance_service {
public:
    attendance_service(const clock& clk, config::attendance_settings settings)
        : clock_(clk), settings_(settings) {}

    /// The meeting's attendance now; nullopt for a meeting never seen.
    std::optional<attendance_report> report(attendance_store& store, const meeting_id& meeting)
        const;

    /// One Zoom participant as a plain attendance row (for zoomParticipantJoined/Left), from
    /// its marks and its meeting.
    participant_row describe(
        const zoom_participant& p, const std::vector<mark>& marks, const meeting& m
    ) const;

    /// Sets who is expected; `validation_failed` naming unknown student ids.
    outcome<std::vector<student_id>> set_roster(
        attendance_store& store, const meeting_id& meeting, std::vector<student_id> students
    ) const;

    /// An active session with its user, student and the Zoom participant linked to its user.
    struct authenticated_participant {
        sessions::session_details details;
        std::optional<zoom_participant> zoom;
    };
    /// The seed's authenticated participants: the meeting's active sessions, oldest first.
    std::vector<authenticated_participant> authenticated_participants(
        attendance_store& store,
        const sessions::session_service& sessions,
        const meeting_id& meeting
    ) const;

    const config::attendance_settings& settings() const { return settings_; }

private:
    /// The meeting runs from Zoom's start (else the first join) to Zoom's end (else now).
    struct window {
        timestamp start;
        timestamp end;
    };
    window window_of(const meeting& m, std::optional<timestamp> first_join, timestamp now) const;
    void finish_row(participant_row& row, const window& w) const;

    const clock& clock_;
    config::attendance_settings settings_;
};

}  // namespace headcount::attendance
