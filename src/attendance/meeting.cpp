#include "attendance/meeting.hpp"

namespace headcount::attendance {

std::string_view to_string(meeting_status s) {
    switch (s) {
        case meeting_status::scheduled:
            return "scheduled";
        case meeting_status::live:
            return "live";
        case meeting_status::ended:
            return "ended";
    }
    return "scheduled";
}

std::optional<meeting_status> parse_meeting_status(std::string_view s) {
    if (s == "scheduled")
        return meeting_status::scheduled;
    if (s == "live")
        return meeting_status::live;
    if (s == "ended")
        return meeting_status::ended;
    return std::nullopt;
}

void occurrence_started(occurrence& o, timestamp start) {
    if (o.status == meeting_status::ended) {
        if (!o.start_time)
            o.start_time = start;
        return;
    }
    o.status = meeting_status::live;
    o.start_time = start;
}

void participant_reported(occurrence& o, std::optional<timestamp> start) {
    if (!o.start_time)
        o.start_time = start;
    if (o.status == meeting_status::scheduled)
        o.status = meeting_status::live;
}

void occurrence_ended(occurrence& o, timestamp end, std::optional<timestamp> start) {
    if (!o.start_time)
        o.start_time = start;
    o.end_time = end;
    o.status = meeting_status::ended;
}

}  // namespace headcount::attendance
