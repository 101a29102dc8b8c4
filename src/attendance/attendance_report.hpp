#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attendance/intervals.hpp"
#include "attendance/meeting.hpp"
#include "attendance/meeting_snapshot.hpp"
#include "auth/user.hpp"
#include "sessions/session.hpp"
#include "sessions/student.hpp"

namespace headcount::attendance {

enum class attendance_status { present, late, partial, absent };
std::string_view to_string(attendance_status s);

/// Where a row of the attendance list comes from.
enum class row_source { zoom, user_session, roster };
std::string_view to_string(row_source s);

/// One person in the attendance list of an occurrence: a Zoom participant (rejoins merged), a
/// signed-in user with no Zoom record, or a rostered student who never came.
struct participant_row {
    row_source source = row_source::zoom;
    std::optional<std::string> participant_name;
    std::optional<std::string> participant_id;
    std::optional<std::string> zoom_user_id;
    std::optional<std::string> email;
    std::vector<interval> intervals;  ///< in time order
    std::optional<timestamp> join_time;
    std::optional<timestamp> leave_time;  ///< empty while active
    double duration_minutes = 0;
    std::int64_t in_window_ms = 0;  ///< of the time attended, what lies in the occurrence
    attendance_status status = attendance_status::absent;
    bool active = false;
    // What the enriched view adds; they point into the report that holds the row.
    const auth::user* user = nullptr;
    const sessions::session* session = nullptr;
    const sessions::student* student = nullptr;
    std::optional<link_rule> linked_by;
};

struct attendance_summary {
    std::size_t total = 0;
    std::size_t present = 0;
    std::size_t late = 0;
    std::size_t partial = 0;
    std::size_t absent = 0;
};

/// Counts over the people who attended (rostered absentees left out) and the sessions.
struct authentication_stats {
    std::size_t total_participants = 0;
    std::size_t authenticated_participants = 0;
    std::size_t unauthenticated_participants = 0;
    double authentication_rate = 0;  ///< 0..1, four decimals
    std::size_t students_identified = 0;
    std::size_t active_user_sessions = 0;
    std::size_t unlinked_user_sessions = 0;
};

/// The answer to "who attended, and for how long?" for one occurrence of a meeting, at one
/// instant. Its rows point into the snapshot it holds.
struct attendance_report {
    std::shared_ptr<const meeting_snapshot> data;
    std::vector<participant_row> rows;
    attendance_summary summary;
    authentication_stats auth_stats;
    /// What statuses are measured against: Zoom's start (else the first join) to Zoom's end
    /// (else now).
    timestamp starts;
    timestamp ends;

    const meeting& series() const { return data->series; }
    const occurrence& details() const { return data->records.details; }
};

}  // namespace headcount::attendance
