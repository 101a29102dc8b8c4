#include "api/handlers/services.hpp"
#include "api/json_input.hpp"
#include "attendance/report_json.hpp"
#include "common/time_format.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

net::awaitable<attendance::attendance_report> load_report(services& s, const meeting_id& meeting) {
    auto report = co_await store::read(s.db, [&](store::unit& u) {
        return s.attendance.report(u.attendance(), meeting);
    });
    if (!report)
        throw api_exception({errc::not_found, "Meeting not found", {}});
    co_return std::move(*report);
}

net::awaitable<response> attendance_of(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    const bool enriched = ctx.query_value("enriched") == "true";
    const auto report = co_await load_report(s, meeting);
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
        s.events.publish({"attendanceDataFetched", meeting.value(), {}, std::move(payload)});
    }
    co_return reply;
}

net::awaitable<response> export_csv(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    const auto report = co_await load_report(s, meeting);
    response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = attendance::report_csv(report);
    r.header(
        "Content-Disposition", "attachment; filename=\"attendance-" + meeting.value() + ".csv\""
    );
    co_return r;
}

net::awaitable<response> list_meetings(services& s, request_context&) {
    auto meetings =
        co_await store::read(s.db, [](store::unit& u) { return u.attendance().meetings.list(); });
    boost::json::array out;
    out.reserve(meetings.size());
    for (const auto& m : meetings)
        out.push_back(attendance::meeting_summary_json(m));
    co_return success({{"meetings", std::move(out)}});
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

void add_attendance_routes(const route_table& routes, services& s) {
    routes.add(
        {method::get, "/api/attendance-tracker/attendance/:meetingId", access::admin,
         body_kind::none, rate_bucket::per_user,
         [&s](request_context& ctx) { return attendance_of(s, ctx); }}
    );
    routes.add(
        {method::get, "/api/attendance-tracker/attendance/:meetingId/export.csv", access::admin,
         body_kind::none, rate_bucket::per_user,
         [&s](request_context& ctx) { return export_csv(s, ctx); }}
    );
    routes.add(
        {method::get, "/api/meetings", access::admin, body_kind::none, rate_bucket::per_user,
         [&s](request_context& ctx) { return list_meetings(s, ctx); }}
    );
    routes.add(
        {method::put, "/api/meetings/:meetingId/roster", access::admin, body_kind::json,
         rate_bucket::per_user, [&s](request_context& ctx) { return put_roster(s, ctx); }}
    );
}

}  // namespace headcount::api
