#include "attendance/report_json.hpp"

#include <cmath>

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

boost::json::value occurrence_id_json(occurrence_id id) {
    if (id.value() == 0)
        return nullptr;
    return boost::json::string(std::to_string(id.value()));
}

}  // namespace

boost::json::object meeting_json(const meeting& series, const occurrence& o) {
    return {
        {"meetingId", series.id.value()},
        {"topic", text_or_null(series.topic)},
        {"startTime", time_or_null(o.start_time)},
        {"endTime", time_or_null(o.end_time)},
        {"status", to_string(o.status)},
        {"occurrenceId", occurrence_id_json(o.id)},
        {"uuid", text_or_null(o.uuid)}};
}

boost::json::object occurrence_json(const occurrence& o) {
    return {
        {"occurrenceId", occurrence_id_json(o.id)},
        {"uuid", text_or_null(o.uuid)},
        {"startTime", time_or_null(o.start_time)},
        {"endTime", time_or_null(o.end_time)},
        {"status", to_string(o.status)}};
}

boost::json::object occurrence_summary_json(const occurrence_summary& o) {
    auto out = occurrence_json(o.details);
    out["participantCount"] = o.participant_count;
    return out;
}

boost::json::object meeting_summary_json(const meeting_summary& m) {
    // Without occurrences (known from its roster only) it reads as not started.
    auto out = meeting_json(m.details, m.latest ? m.latest->details : occurrence{});
    out.erase("occurrenceId");
    out.erase("uuid");
    out["participantCount"] = m.latest ? m.latest->participant_count : 0;
    out["activeParticipantCount"] = m.latest ? m.latest->active_participant_count : 0;
    out["activeSessionCount"] = m.latest ? m.latest->active_session_count : 0;
    out["occurrenceCount"] = m.occurrence_count;
    out["latestOccurrence"] =
        m.latest ? boost::json::value(occurrence_summary_json(*m.latest)) : nullptr;
    return out;
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
    const auto& meeting = report.series().id;
    out.begin_object().member("success", true).member("meetingId", meeting.value());
    out.key("meeting").raw(json::to_string(meeting_json(report.series(), report.details())));
    out.key("participants").begin_array();
    for (const auto& row : report.rows)
        write_row(out, row, meeting, enriched);
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

namespace {

double minutes_of(std::int64_t ms) {
    return std::round(static_cast<double>(ms) / 600.0) / 100.0;
}

/// How a course-view column is named in the CSV: the occurrence's start, else its id.
std::string column_name(const occurrence& o) {
    return o.start_time ? format_iso(*o.start_time) : "occurrence " + std::to_string(o.id.value());
}

}  // namespace

std::string series_body(const series_report& report) {
    std::string body;
    body.reserve(512 + report.people.size() * (160 + report.occurrences.size() * 64));
    json::writer out(body);
    out.begin_object()
        .member("success", true)
        .member("meetingId", report.series().id.value())
        .member("topic", report.series().topic)
        .member("from", report.from)
        .member("to", report.to)
        .member("scheduledMinutes", minutes_of(report.scheduled_ms));
    out.key("occurrences").begin_array();
    for (const auto& c : report.occurrences) {
        const auto& o = *c.details;
        out.begin_object()
            .member("occurrenceId", std::to_string(o.id.value()))
            .member("uuid", o.uuid)
            .member("startTime", o.start_time)
            .member("endTime", o.end_time)
            .member("status", to_string(o.status))
            .member("scheduledMinutes", minutes_of(c.scheduled_ms));
        out.key("totals")
            .begin_object()
            .member("present", c.totals.present)
            .member("late", c.totals.late)
            .member("partial", c.totals.partial)
            .member("absent", c.totals.absent)
            .member("attended", c.totals.attended())
            .end_object();
        out.end_object();
    }
    out.end_array().key("people").begin_array();
    for (const auto& p : report.people) {
        out.begin_object().member("personId", p.id).member("name", p.name).member("email", p.email);
        if (p.student != nullptr)
            out.member("studentId", p.student->id.value());
        else
            out.member("studentId", nullptr);
        if (p.user != nullptr) {
            out.member("userId", std::to_string(p.user->id.value()))
                .member("username", p.user->username);
        } else {
            out.member("userId", nullptr).member("username", nullptr);
        }
        out.key("cells").begin_array();
        for (std::size_t c = 0; c < p.cells.size(); ++c) {
            out.begin_object()
                .member("occurrenceId", std::to_string(report.occurrences[c].details->id.value()))
                .member("status", to_string(p.cells[c].status))
                .member("minutes", p.cells[c].minutes)
                .end_object();
        }
        out.end_array()
            .member("attended", p.attended)
            .member("occurrenceCount", p.cells.size())
            .member("minutes", p.minutes)
            .member("attendancePercent", report.percent_of_scheduled(p))
            .end_object();
    }
    out.end_array().end_object();
    return body;
}

std::string series_csv(const series_report& report) {
    std::string out;
    out.reserve(256 + report.people.size() * (96 + report.occurrences.size() * 24));
    std::vector<std::string> header{"name", "email", "studentId", "username"};
    for (const auto& c : report.occurrences)
        header.push_back(column_name(*c.details));
    for (const char* h : {"attended", "occurrences", "minutes", "attendancePercent"})
        header.emplace_back(h);
    csv::write_row(out, header);
    std::vector<std::string> fields;
    for (const auto& p : report.people) {
        fields.clear();
        fields.push_back(p.name.value_or(""));
        fields.push_back(p.email.value_or(""));
        fields.push_back(p.student != nullptr ? std::to_string(p.student->id.value()) : "");
        fields.push_back(p.user != nullptr ? p.user->username : "");
        for (const auto& cell : p.cells) {
            fields.push_back(
                std::string(to_string(cell.status)) + " (" + number_text(cell.minutes) + " min)"
            );
        }
        fields.push_back(std::to_string(p.attended));
        fields.push_back(std::to_string(p.cells.size()));
        fields.push_back(number_text(p.minutes));
        fields.push_back(number_text(report.percent_of_scheduled(p)));
        csv::write_row(out, fields);
    }
    return out;
}

}  // namespace headcount::attendance
