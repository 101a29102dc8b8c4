#include "sessions/json.hpp"

#include "common/time_format.hpp"

namespace headcount::sessions {

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const student& s) {
    auto& o = v.emplace_object();
    o.reserve(6);
    o["studentId"] = s.id.value();
    o["firstName"] = s.first_name;
    o["lastName"] = s.last_name;
    o["department"] = s.department;
    o["email"] = s.email;
}

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const student_match& m) {
    v = boost::json::value_from(m.who);
    v.get_object()["matchedBy"] = to_string(m.rule);
}

boost::json::value match_to_json(const std::optional<student_match>& m) {
    if (!m)
        return nullptr;
    return boost::json::value_from(*m);
}

boost::json::value time_or_null(const std::optional<timestamp>& t) {
    if (!t)
        return nullptr;
    return boost::json::string(format_iso(*t));
}

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const session& s) {
    auto& o = v.emplace_object();
    o.reserve(11);
    o["sessionId"] = s.id.value();
    o["userId"] = std::to_string(s.user.value());
    o["meetingId"] = s.meeting.value();
    o["participantName"] = s.participant_name;
    if (s.device) {
        o["device"] = *s.device;
    } else {
        o["device"] = nullptr;
    }
    o["joinTime"] = format_iso(s.join_time);
    o["lastActivity"] = format_iso(s.last_activity);
    o["leaveTime"] = time_or_null(s.leave_time);
    if (s.duration_minutes) {
        o["duration"] = *s.duration_minutes;
    } else {
        o["duration"] = nullptr;
    }
    o["isActive"] = s.active;
    if (s.reason) {
        o["endReason"] = to_string(*s.reason);
    } else {
        o["endReason"] = nullptr;
    }
}

}  // namespace headcount::sessions
