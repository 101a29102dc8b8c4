#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attendance/attendance_report.hpp"
#include "attendance/repositories.hpp"
#include "attendance/series_report.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "config/settings.hpp"
#include "sessions/session_service.hpp"

namespace headcount::attendance {

/// Reads what an occurrence's attendance is computed from, or takes the snapshot storage kept
/// while nothing changed. `occurrence` names it by headcount's id or Zoom's uuid; without
/// one, the meeting's latest occurrence (for a meeting known only from its roster, an empty
/// one with id 0). `not_found` for a meeting never seen or an occurrence it does not have.
outcome<std::shared_ptr<const meeting_snapshot>> load_snapshot(
    attendance_store& store, const meeting_id& meeting, const std::optional<std::string>& occurrence
);

/// Reads what the course view of a meeting is computed from: the occurrences Zoom reported
/// that began in [from, to], oldest first, and the people they name. `not_found` for a
/// meeting never seen.
outcome<std::shared_ptr<const series_snapshot>> load_series(
    attendance_store& store, const meeting_id& meeting, timestamp from, timestamp to
);

/// The seed's "Enhanced AttendanceTracker": combines what Zoom reported with the signed-in
/// user sessions into attendance lists with statuses (CONTRACT "Attendance status"), one per
/// occurrence of a meeting, and across them. Stateless apart from settings; each call runs
/// inside the caller's storage transaction.
class attendance_service {
public:
    attendance_service(const clock& clk, config::attendance_settings settings)
        : clock_(clk), settings_(settings) {}

    /// An occurrence's attendance now (see load_snapshot for `occurrence`).
    outcome<attendance_report> report(
        attendance_store& store,
        const meeting_id& meeting,
        const std::optional<std::string>& occurrence = std::nullopt
    ) const;

    /// The course view: every person seen or rostered across the occurrences that began in
    /// [from, to] (either open).
    outcome<series_report> series(
        attendance_store& store,
        const meeting_id& meeting,
        std::optional<timestamp> from,
        std::optional<timestamp> to
    ) const;

    /// Every meeting with its latest occurrence, newest first.
    std::vector<meeting_summary> meetings(attendance_store& store) const;
    /// A meeting's occurrences with their counts, newest first; `not_found` for a meeting
    /// never seen.
    outcome<std::vector<occurrence_summary>> occurrences(
        attendance_store& store, const meeting_id& meeting
    ) const;

    /// One Zoom participant as a plain attendance row (for zoomParticipantJoined/Left), from
    /// its marks and its occurrence.
    participant_row describe(
        const zoom_participant& p, const std::vector<mark>& marks, const occurrence& in
    ) const;

    /// Sets who is expected in every occurrence of the meeting; `validation_failed` naming
    /// unknown student ids.
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
    const clock& clock_;
    config::attendance_settings settings_;
};

}  // namespace headcount::attendance
