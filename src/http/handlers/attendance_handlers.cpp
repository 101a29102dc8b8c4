#include <algorithm>
#include <map>

#include <boost/url/pct_string_view.hpp>

#include "attendance/report_json.hpp"
#include "common/time_format.hpp"
#include "http/handlers/services.hpp"
#include "http/json_input.hpp"
#include "store/awaitable.hpp"

namespace headcount::http {
namespace {

namespace net = boost::asio;

constexpr std::size_t max_occurrence_length = 128;

/// `?occurrence=`: headcount's occurrence id or Zoom's uuid, percent-encoded. A uuid Zoom
/// would have encoded twice (one starting with `/` or holding `//`) may come encoded twice
/// here too, and a `+` left unencoded arrives as a space: uuids are base64, which has none.
std::optional<std::string> occurrence_param(const request_context& ctx) {
    const auto given = ctx.query_value("occurrence");
    if (!given)
        return std::nullopt;
    std::string name(*given);
    if (name.find('%') != std::string::npos) {
        const auto decoded = boost::urls::make_pct_string_view(name);
        if (decoded)
            name = std::string(decoded->decode());
    }
    std::replace(name.begin(), name.end(), ' ', '+');
    if (name.empty() || name.size() > max_occurrence_length) {
        throw api_exception(api_error::validation(
            "occurrence", "must be an occurrenceId or a Zoom meeting uuid (1-128 characters)"
        ));
    }
    return name;
}

/// `?from=` and `?to=` of the course view: ISO-8601 times, or dates (a `to` date includes
/// its whole day).
std::pair<std::optional<timestamp>, std::optional<timestamp>> range_params(
    const request_context& ctx
) {
    std::map<std::string, std::string> fields;
    const auto read = [&](const char* name, bool end_of_day) -> std::optional<timestamp> {
        const auto text = ctx.query_value(name);
        if (!text || text->empty())
            return std::nullopt;
        auto t = parse_iso(*text);
        if (!t) {
            fields[name] = "must be an ISO-8601 date or time";
            return std::nullopt;
        }
        constexpr std::size_t date_only = 10;  // YYYY-MM-DD
        if (end_of_day && text->size() == date_only)
            *t += std::chrono::days{1} - std::chrono::milliseconds{1};
        return t;
    };
    auto from = read("from", false);
    auto to = read("to", true);
    if (from && to && *from > *to)
        fields["to"] = "must not be before from";
    if (!fields.empty())
        throw api_exception(api_error::validation(std::move(fields)));
    return {from, to};
}

net::awaitable<attendance::attendance_report> load_report(
    services& s, const meeting_id& meeting, const std::optional<std::string>& occurrence
) {
    auto report = co_await store::read(s.db, [&](store::unit& u) {
        return s.attendance.report(u.attendance(), meeting, occurrence);
    });
    co_return std::move(report).value();
}

net::awaitable<response> attendance_of(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    const auto occurrence = occurrence_param(ctx);
    const bool enriched = ctx.query_value("enriched") == "true";
    const auto report = co_await load_report(s, meeting, occurrence);
    response reply;
    reply.body = attendance::report_body(report, enriched);
    if (enriched) {
        const auto& admin = ctx.user();
        boost::json::object payload{
            {"meetingId", meeting.value()},
            {"fetchedBy", {{"id", std::to_string(admin.id.value())}, {"username", admin.username}}},
            {"participantCount", report.rows.size()},
            {"at", format_iso(s.clk.now())},
        };
        if (const auto id = report.details().id.value(); id != 0)
            payload["occurrenceId"] = std::to_string(id);
        s.events.publish({"attendanceDataFetched", meeting.value(), {}, std::move(payload)});
    }
    co_return reply;
}

response csv_download(std::string body, const std::string& filename) {
    response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(body);
    r.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    return r;
}

net::awaitable<response> export_csv(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    const auto occurrence = occurrence_param(ctx);
    const auto report = co_await load_report(s, meeting, occurrence);
    co_return csv_download(
        attendance::report_csv(report), "attendance-" + meeting.value() + ".csv"
    );
}

net::awaitable<response> list_meetings(services& s, request_context&) {
    auto meetings = co_await store::read(s.db, [&](store::unit& u) {
        return s.attendance.meetings(u.attendance());
    });
    boost::json::array out;
    out.reserve(meetings.size());
    for (const auto& m : meetings)
        out.push_back(attendance::meeting_summary_json(m));
    co_return success({{"meetings", std::move(out)}});
}

net::awaitable<response> list_occurrences(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    auto list = co_await store::read(s.db, [&](store::unit& u) {
        return s.attendance.occurrences(u.attendance(), meeting);
    });
    boost::json::array out;
    for (const auto& o : list.value())
        out.push_back(attendance::occurrence_summary_json(o));
    co_return success({{"meetingId", meeting.value()}, {"occurrences", std::move(out)}});
}

net::awaitable<attendance::series_report> load_series(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    const auto [from, to] = range_params(ctx);
    auto report = co_await store::read(s.db, [&](store::unit& u) {
        return s.attendance.series(u.attendance(), meeting, from, to);
    });
    co_return std::move(report).value();
}

net::awaitable<response> series(services& s, request_context& ctx) {
    const auto report = co_await load_series(s, ctx);
    response reply;
    reply.body = attendance::series_body(report);
    co_return reply;
}

net::awaitable<response> series_csv(services& s, request_context& ctx) {
    const auto report = co_await load_series(s, ctx);
    co_return csv_download(
        attendance::series_csv(report), "course-" + report.series().id.value() + ".csv"
    );
}

net::awaitable<response> put_roster(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    json_input in(ctx.json);
    std::vector<student_id> ids;
    const auto* list = in.member("studentIds");
    const bool ok = list != nullptr && list->is_array() && [&] {
        for (const auto& v : list->get_array()) {
            if (!v.is_int64() || v.get_int64() < 0)
                return false;
            ids.emplace_back(v.get_int64());
        }
        return true;
    }();
    if (!ok)
        in.fail("studentIds", "must be an array of non-negative integers");
    in.check();
    auto saved = co_await store::write(s.db, [&](store::unit& u) {
        return s.attendance.set_roster(u.attendance(), meeting, ids);
    });
    boost::json::array out;
    for (const auto& id : saved.value())
        out.push_back(id.value());
    co_return success({{"meetingId", meeting.value()}, {"studentIds", std::move(out)}});
}

}  // namespace

void add_attendance_routes(router& routes, services& s) {
    const auto add = [&](method m, const char* path, body_kind body,
                         net::awaitable<response> (*fn)(services&, request_context&)) {
        routes.add(
            {m, path, access::admin, body, rate_bucket::per_user,
             [&s, fn](request_context& ctx) { return fn(s, ctx); }}
        );
    };
    add(method::get, "/api/attendance-tracker/attendance/:meetingId", body_kind::none,
        attendance_of);
    add(method::get, "/api/attendance-tracker/attendance/:meetingId/export.csv", body_kind::none,
        export_csv);
    add(method::get, "/api/meetings", body_kind::none, list_meetings);
    add(method::get, "/api/meetings/:meetingId/occurrences", body_kind::none, list_occurrences);
    add(method::get, "/api/meetings/:meetingId/series", body_kind::none, series);
    add(method::get, "/api/meetings/:meetingId/series/export.csv", body_kind::none, series_csv);
    add(method::put, "/api/meetings/:meetingId/roster", body_kind::json, put_roster);
}

}  // namespace headcount::http
