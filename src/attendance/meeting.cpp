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

void meeting_started(meeting& m, timestamp start) {
    if (!m.end_time || start > *m.end_time) {
        m.status = meeting_status::live;
        m.end_time.reset();
        m.start_time = start;
    } else if (!m.start_time) {
        m.start_time = start;
    }
}

void participant_reported(meeting& m, std::optional<timestamp> start) {
    if (!m.start_time)
        m.start_time = start;
    if (m.status == meeting_status::scheduled)
        m.status = meeting_status::live;
}

void meeting_ended(meeting& m, timestamp end, std::optional<timestamp> start) {
    if (!m.start_time)
        m.start_time = start;
    m.end_time = end;
    m.status = meeting_status::ended;
}

}  // namespace headcount::attendance
