#include "attendance/report_json.hpp"

#include "common/csv.hpp"
#include "common/json.hpp"
#include "common/time_format.hpp"

namespace headcount::attendance {
namespace {

boost::json::value text_or_null(const std::optional<std::string>& s) {
    if (!s)
        return nullptr;
    return boost::json::string(*s);
}

boost::json::value time_or_null(const std::optional<timestamp>& t) {
    if (!t)
        return nullptr;
    return boost::json::string(format_iso(*t));
}

boost::json::object student_json(const sessions::student& s) {
    return {
        {"studentId", s.id.value()},
        {"firstName", s.first_name},
        {"lastName", s.last_name},
        {"department", s.department},
        {"email", s.email}};
}

std::string number_text(double d) {
    std::string out;
    json::write_number(out, d);
    return out;
}

}  // namespace

boost::json::object meeting_json(const meeting& m) {
    return {
        {"meetingId", m.id.value()},
        {"topic", text_or_null(m.topic)},
        {"startTime", time_or_null(m.start_time)},
        {"endTime", time_or_null(m.end_time)},
        {"status", to_string(m.status)}};
}

boost::json::object meeting_summary_json(const meeting_summary& m) {
    auto o = meeting_json(m.details);
    o["participantCount"] = m.participant_count;
    o["activeParticipantCount"] = m.active_participant_count;
    o["activeSessionCount"] = m.active_session_count;
    return o;
}

boost::json::object row_json(const participant_row& row, const meeting_id& meeting, bool enriched) {
    boost::json::object o;
    o.reserve(enriched ? 21 : 13);
    o["participantName"] = text_or_null(row.participant_name);
    o["participantId"] = text_or_null(row.participant_id);
    o["zoomUserId"] = text_or_null(row.zoom_user_id);
    o["email"] = text_or_null(row.email);
    o["meetingId"] = meeting.value();
    o["joinTime"] = time_or_null(row.join_time);
    o["leaveTime"] = time_or_null(row.leave_time);
    o["duration"] = row.duration_minutes;
    boost::json::array intervals;
    intervals.reserve(row.intervals.size());
    for (const auto& i : row.intervals) {
        intervals.push_back({{"joinTime", format_iso(i.join)}, {"leaveTime", time_or_null(i.leave)}}
        );
    }
    o["intervals"] = std::move(intervals);
    o["attendanceStatus"] = to_string(row.status);
    o["isActive"] = row.active;
    o["source"] = to_string(row.source);
    if (!enriched)
        return o;

    o["isAuthenticated"] = row.user.has_value();
    o["userId"] = row.user ? boost::json::value(std::to_string(row.user->id.value()))
                           : boost::json::value(nullptr);
    if (row.user) {
        const bool via_session = row.session.has_value();
        o["authenticatedUser"] = {
            {"username", row.user->username},
            {"email", row.user->email},
            {"role", auth::to_string(row.user->role)},
            {"joinedViaAuth", via_session},
            {"authTokenUsed", via_session}};
    } else {
        o["authenticatedUser"] = nullptr;
    }
    o["studentId"] =
        row.student ? boost::json::value(row.student->id.value()) : boost::json::value(nullptr);
    o["studentInfo"] =
        row.student ? boost::json::value(student_json(*row.student)) : boost::json::value(nullptr);
    if (row.session) {
        o["userSession"] = {
            {"sessionId", row.session->id.value()},
            {"device", text_or_null(row.session->device)},
            {"lastActivity", format_iso(row.session->last_activity)},
            {"isActive", row.session->active}};
    } else {
        o["userSession"] = nullptr;
    }
    o["linkedBy"] =
        row.linked_by ? boost::json::value(to_string(*row.linked_by)) : boost::json::value(nullptr);
    return o;
}

boost::json::object report_json(const attendance_report& report, bool enriched) {
    boost::json::object o;
    o["meeting"] = meeting_json(report.details);
    boost::json::array rows;
    rows.reserve(report.rows.size());
    for (const auto& row : report.rows)
        rows.push_back(row_json(row, report.details.id, enriched));
    o["participants"] = std::move(rows);
    const auto& s = report.summary;
    o["summary"] = {
        {"total", s.total},
        {"present", s.present},
        {"late", s.late},
        {"partial", s.partial},
        {"absent", s.absent}};
    if (enriched) {
        const auto& a = report.auth_stats;
        o["authenticationStats"] = {
            {"totalParticipants", a.total_participants},
            {"authenticatedParticipants", a.authenticated_participants},
            {"unauthenticatedParticipants", a.unauthenticated_participants},
            {"authenticationRate", a.authentication_rate},
            {"studentsIdentified", a.students_identified},
            {"activeUserSessions", a.active_user_sessions},
            {"unlinkedUserSessions", a.unlinked_user_sessions}};
    }
    return o;
}

std::string report_csv(const attendance_report& report) {
    std::string out;
    out.reserve(256 + report.rows.size() * 200);
    csv::write_row(
        out, {"participantName", "email", "username", "role", "studentId", "studentName",
              "department", "attendanceStatus", "joinTime", "leaveTime", "durationMinutes",
              "intervals", "isAuthenticated", "linkedBy"}
    );
    const auto opt_time = [](const std::optional<timestamp>& t) {
        return t ? format_iso(*t) : std::string();
    };
    for (const auto& row : report.rows) {
        std::string intervals;
        for (const auto& i : row.intervals) {
            if (!intervals.empty())
                intervals.push_back(';');
            intervals += format_iso(i.join) + "/" + opt_time(i.leave);
        }
        const bool has_student_name =
            row.student && !(row.student->first_name.empty() && row.student->last_name.empty());
        csv::write_row(
            out, {row.participant_name.value_or(""), row.email.value_or(""),
                  row.user ? row.user->username : "",
                  row.user ? std::string(auth::to_string(row.user->role)) : "",
                  row.student ? std::to_string(row.student->id.value()) : "",
                  has_student_name ? row.student->full_name() : "",
                  row.student ? row.student->department : "", std::string(to_string(row.status)),
                  opt_time(row.join_time), opt_time(row.leave_time),
                  number_text(row.duration_minutes), intervals, row.user ? "true" : "false",
                  row.linked_by ? std::string(to_string(*row.linked_by)) : ""}
        );
    }
    return out;
}

}  // namespace headcount::attendance
