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

namespace {

/// The members of a session's JSON object, in order, handed to `emit(name, value)`: the one
/// list both serialisations (value tree and streaming writer) use.
template <class Emit>
void session_members(const session& s, Emit&& emit) {
    emit("sessionId", std::string_view(s.id.value()));
    emit("userId", std::to_string(s.user.value()));
    emit("meetingId", std::string_view(s.meeting.value()));
    emit("occurrenceId", std::to_string(s.occurrence.value()));
    emit("participantName", std::string_view(s.participant_name));
    emit("device", s.device);
    emit("joinTime", s.join_time);
    emit("lastActivity", s.last_activity);
    emit("leaveTime", s.leave_time);
    emit("duration", s.duration_minutes);
    emit("isActive", s.active);
    emit(
        "endReason", s.reason ? std::optional<std::string_view>(to_string(*s.reason)) : std::nullopt
    );
}

boost::json::value to_value(std::string_view text) {
    return boost::json::string(text);
}
boost::json::value to_value(timestamp t) {
    return boost::json::string(format_iso(t));
}
boost::json::value to_value(double d) {
    return d;
}
boost::json::value to_value(bool b) {
    return b;
}
template <class T>
boost::json::value to_value(const std::optional<T>& v) {
    return v ? to_value(*v) : boost::json::value(nullptr);
}

}  // namespace

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const session& s) {
    auto& o = v.emplace_object();
    o.reserve(12);
    session_members(s, [&o](std::string_view name, const auto& member) {
        o[name] = to_value(member);
    });
}

void write_session(json::writer& out, const session& s) {
    out.begin_object();
    session_members(s, [&out](std::string_view name, const auto& member) {
        out.member(name, member);
    });
    out.end_object();
}

}  // namespace headcount::sessions
