#include "attendance/report_json.hpp"

#include "common/csv.hpp"
#include "common/json.hpp"
#include "common/json_tree_writer.hpp"
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

template <class Out>
void write_student(Out& out, const sessions::student& s) {
    out.begin_object()
        .member("studentId", s.id.value())
        .member("firstName", s.first_name)
        .member("lastName", s.last_name)
        .member("department", s.department)
        .member("email", s.email)
        .end_object();
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

template <class Out>
void write_row(Out& out, const participant_row& row, const meeting_id& meeting, bool enriched) {
    out.begin_object()
        .member("participantName", row.participant_name)
        .member("participantId", row.participant_id)
        .member("zoomUserId", row.zoom_user_id)
        .member("email", row.email)
        .member("meetingId", meeting.value())
        .member("joinTime", row.join_time)
        .member("leaveTime", row.leave_time)
        .member("duration", row.duration_minutes);
    out.key("intervals").begin_array();
    for (const auto& i : row.intervals) {
        out.begin_object().member("joinTime", i.join).member("leaveTime", i.leave).end_object();
    }
    out.end_array()
        .member("attendanceStatus", to_string(row.status))
        .member("isActive", row.active)
        .member("source", to_string(row.source));
    if (enriched) {
        out.member("isAuthenticated", row.user != nullptr);
        if (row.user != nullptr) {
            const bool via_session = row.session != nullptr;
            out.member("userId", std::to_string(row.user->id.value()));
            out.key("authenticatedUser")
                .begin_object()
                .member("username", row.user->username)
                .member("email", row.user->email)
                .member("role", auth::to_string(row.user->role))
                .member("joinedViaAuth", via_session)
                .member("authTokenUsed", via_session)
                .end_object();
        } else {
            out.member("userId", nullptr).member("authenticatedUser", nullptr);
        }
        if (row.student != nullptr) {
            out.member("studentId", row.student->id.value());
            write_student(out.key("studentInfo"), *row.student);
        } else {
            out.member("studentId", nullptr).member("studentInfo", nullptr);
        }
        if (row.session != nullptr) {
            out.key("userSession")
                .begin_object()
                .member("sessionId", row.session->id.value())
                .member("device", row.session->device)
                .member("lastActivity", row.session->last_activity)
                .member("isActive", row.session->active)
                .end_object();
        } else {
            out.member("userSession", nullptr);
        }
        if (row.linked_by) {
            out.member("linkedBy", to_string(*row.linked_by));
        } else {
            out.member("linkedBy", nullptr);
        }
    }
    out.end_object();
}

template void write_row(json::writer&, const participant_row&, const meeting_id&, bool);
template void write_row(json::tree_writer&, const participant_row&, const meeting_id&, bool);

boost::json::value row_value(const participant_row& row, const meeting_id& meeting) {
    json::tree_writer out;
    write_row(out, row, meeting, false);
    return out.release();
}

std::string report_body(const attendance_report& report, bool enriched) {
    std::string body;
    body.reserve(256 + report.rows.size() * (enriched ? 700 : 350));
    json::writer out(body);
    out.begin_object().member("success", true).member("meetingId", report.details().id.value());
    out.key("meeting").raw(json::to_string(meeting_json(report.details())));
    out.key("participants").begin_array();
    for (const auto& row : report.rows)
        write_row(out, row, report.details().id, enriched);
    out.end_array();
    const auto& s = report.summary;
    out.key("summary")
        .begin_object()
        .member("total", s.total)
        .member("present", s.present)
        .member("late", s.late)
        .member("partial", s.partial)
        .member("absent", s.absent)
        .end_object();
    if (enriched) {
        const auto& a = report.auth_stats;
        out.key("authenticationStats")
            .begin_object()
            .member("totalParticipants", a.total_participants)
            .member("authenticatedParticipants", a.authenticated_participants)
            .member("unauthenticatedParticipants", a.unauthenticated_participants)
            .member("authenticationRate", a.authentication_rate)
            .member("studentsIdentified", a.students_identified)
            .member("activeUserSessions", a.active_user_sessions)
            .member("unlinkedUserSessions", a.unlinked_user_sessions)
            .end_object();
    }
    out.end_object();
    return body;
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
        const auto* st = row.student;
        const bool named = st != nullptr && !(st->first_name.empty() && st->last_name.empty());
        csv::write_row(
            out,
            {row.participant_name.value_or(""), row.email.value_or(""),
             row.user != nullptr ? row.user->username : "",
             row.user != nullptr ? std::string(auth::to_string(row.user->role)) : "",
             st != nullptr ? std::to_string(st->id.value()) : "", named ? st->full_name() : "",
             st != nullptr ? st->department : "", std::string(to_string(row.status)),
             opt_time(row.join_time), opt_time(row.leave_time), number_text(row.duration_minutes),
             intervals, row.user != nullptr ? "true" : "false",
             row.linked_by ? std::string(to_string(*row.linked_by)) : ""}
        );
    }
    return out;
}

}  // namespace headcount::attendance
