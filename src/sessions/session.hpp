#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "sessions/student.hpp"

namespace headcount::sessions {

/// Why a session ended.
enum class end_reason { left, expired, meeting_ended };

std::string_view to_string(end_reason reason);
std::optional<end_reason> parse_end_reason(std::string_view text);

/// One user's attendance registration in one meeting (the seed's user session).
struct session {
    session_id id;
    user_id user;
    meeting_id meeting;
    occurrence_id occurrence;  ///< of the meeting, live (or about to start) when it began
    std::string participant_name;
    std::string name_key;  ///< participant_name normalised, for linking by name
    std::optional<std::string> device;
    timestamp join_time;
    timestamp last_activity;
    std::optional<timestamp> leave_time;
    std::optional<double> duration_minutes;
    bool active = true;
    std::optional<end_reason> reason;
    std::optional<student_id> student;  ///< matched at join
    std::optional<match_rule> matched_by;
};

/// `<userId>_<meetingId>_<joinTimeEpochMs>`.
session_id make_session_id(user_id user, const meeting_id& meeting, timestamp join_time);

/// What a session id says about its session: whose it is and when it started.
struct session_id_parts {
    user_id user;
    std::int64_t join_time_ms = 0;
};
/// The inverse of make_session_id (the meeting id in the middle may hold underscores);
/// nullopt for text that make_session_id cannot have produced.
std::optional<session_id_parts> parse_session_id(std::string_view id);

/// Minutes between two instants, rounded to two decimals (the seed's `duration`).
double minutes_between(timestamp from, timestamp to);

}  // namespace headcount::sessions
