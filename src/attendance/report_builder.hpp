#pragma once

#include <vector>

#include "attendance/attendance_report.hpp"
#include "config/settings.hpp"

namespace headcount::attendance {

/// Who is who in an occurrence, evaluated over what its records and the people they name hold
/// now, not frozen when someone joined: a roster or students imported after the class started
/// count, and so do links only they make possible (a Zoom name equal to a student's name).
/// Each user with sessions is matched to a student (CONTRACT "Student matching"; the name
/// given at join counts unless it is the username it defaulted to). Links stored when a side
/// arrived stay; a Zoom participant and a user no stored link joins are linked by the
/// contract's rules in order when each is the other's only candidate under the rule.
occurrence_matches match_people(const occurrence_records& records, const people_directory& people);

/// Computes one occurrence's attendance at `now` from its records (with their matches) and the
/// people they name: the rows (Zoom participants, users with no Zoom record, rostered students
/// who never came), their statuses (CONTRACT "Attendance status"), the summary and the
/// statistics. `out.rows` point into `records` and `people`, which must outlive them.
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
