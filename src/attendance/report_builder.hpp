#pragma once

#include <vector>

#include "attendance/attendance_report.hpp"
#include "config/settings.hpp"

namespace headcount::attendance {

/// Computes one occurrence's attendance at `now` from its records and the people they name:
/// the rows (Zoom participants, users with no Zoom record, rostered students who never came),
/// their statuses (CONTRACT "Attendance status"), the summary and the statistics.
///
/// Student matching and the links between users and Zoom participants are evaluated here,
/// over what the records hold now, not frozen when someone joined: a roster or students
/// imported after the class started count, and so do links only they make possible (a Zoom
/// name equal to a student's name). Links stored when a side arrived stay as they are.
/// `out.rows` point into `records` and `people`, which must outlive them.
void build_report(
    attendance_report& out,
    const occurrence_records& records,
    const people_directory& people,
    const config::attendance_settings& settings,
    timestamp now
);

/// One Zoom participant as a plain row (for zoomParticipantJoined/Left), from its marks and
/// the occurrence it is in.
participant_row describe_participant(
    const zoom_participant& p,
    const std::vector<mark>& marks,
    const occurrence& in,
    const config::attendance_settings& settings,
    timestamp now
);

}  // namespace headcount::attendance
