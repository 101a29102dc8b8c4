#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/ids.hpp"

namespace headcount::attendance {

/// `scheduled` (known from a session or roster, not started in Zoom), `live` (Zoom said it
/// started, or reported a participant), `ended` (Zoom said it ended).
enum class meeting_status { scheduled, live, ended };

std::string_view to_string(meeting_status s);
std::optional<meeting_status> parse_meeting_status(std::string_view s);

/// A meeting as headcount knows it.
struct meeting {
    meeting_id id;
    std::optional<std::string> uuid;
    std::optional<std::string> topic;
    std::optional<std::string> host_id;
    std::optional<timestamp> start_time;
    std::optional<timestamp> end_time;
    meeting_status status = meeting_status::scheduled;
    timestamp first_seen;
};

/// A meeting in the list, with its counts.
struct meeting_summary {
    meeting details;
    std::int64_t participant_count = 0;
    std::int64_t active_participant_count = 0;
    std::int64_t active_session_count = 0;
};

/// Zoom said the meeting started at `start`. A `meeting.started` delivered late (after the
/// `meeting.ended` of the same run: its start is not after the recorded end) does not reopen
/// the meeting; a later start is a new run of it.
void meeting_started(meeting& m, timestamp start);
/// Zoom reported a participant; the meeting is live unless it ended, and the first start
/// time known is kept.
void participant_reported(meeting& m, std::optional<timestamp> start);
/// Zoom said the meeting ended at `end`.
void meeting_ended(meeting& m, timestamp end, std::optional<timestamp> start);

}  // namespace headcount::attendance
