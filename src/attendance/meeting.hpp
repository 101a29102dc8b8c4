#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/ids.hpp"

namespace headcount::attendance {

/// `scheduled` (known from a session, not started in Zoom), `live` (Zoom said it started, or
/// reported a participant), `ended` (Zoom said it ended).
enum class meeting_status { scheduled, live, ended };

std::string_view to_string(meeting_status s);
std::optional<meeting_status> parse_meeting_status(std::string_view s);

/// A meeting id as headcount knows it: a series of occurrences (a recurring meeting, a
/// personal meeting id), with what stays the same across them.
struct meeting {
    meeting_id id;
    std::optional<std::string> topic;
    std::optional<std::string> host_id;
    timestamp first_seen;
};

/// One occurrence of a meeting (Zoom's meeting instance, named by its `uuid`): the unit of
/// attendance, with its own start, end, status, participants and web sessions.
struct occurrence {
    occurrence_id id;  ///< 0 until stored
    meeting_id meeting;
    std::optional<std::string> uuid;  ///< empty for one opened before Zoom named it
    std::optional<timestamp> start_time;
    std::optional<timestamp> end_time;
    meeting_status status = meeting_status::scheduled;
    timestamp first_seen;

    /// Opened for web sessions before Zoom reported it.
    bool pending() const { return status == meeting_status::scheduled; }
    /// When it began: Zoom's start, else when headcount first saw it.
    timestamp began() const { return start_time.value_or(first_seen); }
};

/// An occurrence with its counts: Zoom participants plus users whose sessions no Zoom
/// participant is linked to, those of them in the meeting now, and active sessions.
struct occurrence_summary {
    occurrence details;
    std::int64_t participant_count = 0;
    std::int64_t active_participant_count = 0;
    std::int64_t active_session_count = 0;
};

/// A series in the list: its latest occurrence (none for a meeting known only from its
/// roster) and how many it has.
struct meeting_summary {
    meeting details;
    std::optional<occurrence_summary> latest;
    std::int64_t occurrence_count = 0;
};

/// Zoom said the occurrence started at `start`. An occurrence that ended stays ended (a
/// `meeting.started` delivered late, after its `meeting.ended`): a new start is a new
/// occurrence.
void occurrence_started(occurrence& o, timestamp start);
/// Zoom reported a participant; the occurrence is live unless it ended, and the first start
/// time known is kept.
void participant_reported(occurrence& o, std::optional<timestamp> start);
/// Zoom said the occurrence ended at `end`.
void occurrence_ended(occurrence& o, timestamp end, std::optional<timestamp> start);

}  // namespace headcount::attendance
