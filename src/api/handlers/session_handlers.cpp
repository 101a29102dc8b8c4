#include <charconv>

#include "api/handlers/services.hpp"
#include "api/json_input.hpp"
#include "auth/user_json.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "sessions/json.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

constexpr std::size_t max_name_length = 200;
constexpr std::size_t max_sessions_page = 500;

session_id session_param(json_input& in) {
    auto id = in.string("sessionId", true, 512);
    in.check();
    return session_id{*id};
}

net::awaitable<response> join(services& s, request_context& ctx) {
    json_input in(ctx.json);
    auto meeting = in.meeting("meetingId");
    sessions::join_request request;
    auto participant = in.nested("participantData");
    const auto name = participant.string("participantName", false, max_name_length);
    request.device = participant.string("device", false, max_name_length);
    if (name) {
        const auto trimmed = text::trim(*name);
        if (!trimmed.empty())
            request.participant_name = std::string(trimmed);
    }
    in.check();
    request.meeting = *meeting;

    const auto& user = ctx.user();
    auto joined = co_await store::write(s.db, [&](store::unit& u) {
        return s.registration.join(u.attendance(), u.outbox(), user, request);
    });
    boost::json::object user_data;
    user_data["user"] = boost::json::value_from(user);
    user_data["student"] = sessions::match_to_json(joined.student);
    user_data["meetingId"] = joined.joined.meeting.value();
    user_data["joinTime"] = format_iso(joined.joined.join_time);
    co_return success(
        {{"message", "Successfully registered for meeting attendance"},
         {"sessionId", joined.joined.id.value()},
         {"userData", std::move(user_data)}},
        joined.created ? 201 : 200
    );
}

net::awaitable<response> leave(services& s, request_context& ctx) {
    json_input in(ctx.json);
    const auto id = session_param(in);
    const auto& user = ctx.user();
    auto ended = co_await store::write(s.db, [&](store::unit& u) {
        return s.sessions.leave(u.sessions(), u.outbox(), user, id);
    });
    const auto& session = ended.value();
    co_return success(
        {{"message", "Successfully left meeting"},
         {"sessionId", session.id.value()},
         {"meetingId", session.meeting.value()},
         {"leaveTime", sessions::time_or_null(session.leave_time)},
         {"duration", session.duration_minutes ? boost::json::value(*session.duration_minutes)
                                               : boost::json::value(nullptr)}}
    );
}

net::awaitable<response> activity(services& s, request_context& ctx) {
    json_input in(ctx.json);
    const auto id = session_param(in);
    const auto& user = ctx.user();
    auto at = co_await store::write(s.db, [&](store::unit& u) {
        return s.sessions.record_activity(u.sessions(), user, id);
    });
    co_return success({{"sessionId", id.value()}, {"lastActivity", format_iso(at.value())}});
}

sessions::session_filter parse_filter(const request_context& ctx) {
    sessions::session_filter filter;
    std::map<std::string, std::string> fields;
    if (const auto active = ctx.query_value("active")) {
        if (*active == "true") {
            filter.active = true;
        } else if (*active == "false") {
            filter.active = false;
        } else {
            fields["active"] = "must be true or false";
        }
    }
    if (const auto limit = ctx.query_value("limit")) {
        std::size_t n = 0;
        auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
        if (limit->empty() || ec != std::errc{} || end != limit->data() + limit->size() || n < 1) {
            fields["limit"] = "must be a positive integer";
        } else {
            filter.limit = std::min(n, max_sessions_page);
        }
    }
    if (const auto before = ctx.query_value("before")) {
        if (auto t = parse_iso(*before)) {
            filter.before = *t;
        } else {
            fields["before"] = "must be an ISO-8601 time";
        }
    }
    if (!fields.empty())
        throw api_exception(api_error::validation(std::move(fields)));
    return filter;
}

net::awaitable<response> my_sessions(services& s, request_context& ctx) {
    const auto filter = parse_filter(ctx);
    const auto owner = ctx.user().id;
    auto list = co_await store::read(s.db, [&](store::unit& u) {
        return s.sessions.sessions_of(u.sessions(), owner, filter);
    });
    // Streamed: up to 500 sessions, where a value tree would cost more than the answer.
    response r;
    r.body.reserve(256 + list.size() * 320);
    json::writer out(r.body);
    out.begin_object().member("success", true).key("sessions").begin_array();
    for (const auto& session : list)
        sessions::write_session(out, session);
    out.end_array().end_object();
    co_return r;
}

net::awaitable<response> authenticated_participants(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    auto list = co_await store::read(s.db, [&](store::unit& u) {
        return s.attendance.authenticated_participants(u.attendance(), s.sessions, meeting);
    });
    boost::json::array out;
    out.reserve(list.size());
    for (const auto& entry : list) {
        const auto& d = entry.details;
        auto row = boost::json::value_from(d.s).as_object();
        row["user"] = boost::json::value_from(d.user);
        row["student"] = sessions::match_to_json(d.student);
        if (entry.zoom) {
            const auto& who = entry.zoom->who;
            const auto text = [](const std::optional<std::string>& v) {
                return v ? boost::json::value(*v) : boost::json::value(nullptr);
            };
            row["zoomParticipant"] = {
                {"participantId", who.participant_id},
                {"participantName", text(who.name)},
                {"email", text(who.email)},
                {"zoomUserId", text(who.zoom_user_id)},
                {"isActive", entry.zoom->active}};
            row["linkedBy"] =
                entry.zoom->linked_by
                    ? boost::json::value(attendance::to_string(*entry.zoom->linked_by))
                    : boost::json::value(nullptr);
        } else {
            row["zoomParticipant"] = nullptr;
            row["linkedBy"] = nullptr;
        }
        out.push_back(std::move(row));
    }
    co_return success({{"meetingId", meeting.value()}, {"participants", std::move(out)}});
}

net::awaitable<response> end_meeting(services& s, request_context& ctx) {
    const auto meeting = meeting_param(ctx.param("meetingId"));
    const auto& admin = ctx.user();
    const auto count = co_await store::write(s.db, [&](store::unit& u) {
        return s.sessions.end_meeting(u.sessions(), u.outbox(), admin, meeting);
    });
    co_return success({{"meetingId", meeting.value()}, {"endedCount", count}});
}

net::awaitable<response> stats(services& s, request_context&) {
    auto st =
        co_await store::read(s.db, [&](store::unit& u) { return s.sessions.stats(u.sessions()); });
    const auto& settings = s.sessions.settings();
    boost::json::object cleanup{
        {"lastRunAt", sessions::time_or_null(st.last_cleanup)},
        {"sessionsExpired", st.sessions_expired},
        {"intervalSeconds", settings.cleanup_interval.count()},
        {"sessionTimeoutSeconds", settings.session_timeout.count()},
    };
    boost::json::object body{
        {"totalActiveSessions", st.total_active},
        {"activeUsers", st.active_users},
        {"activeMeetings", st.active_meetings},
        {"roleBreakdown", {{"admin", st.active_admins}, {"user", st.active_plain_users}}},
        {"studentsWithSessions", st.students_with_sessions},
        {"cleanup", std::move(cleanup)},
    };
    co_return success({{"stats", std::move(body)}});
}

}  // namespace

void add_session_routes(const route_table& routes, services& s) {
    const auto add = [&](method m, const char* path, access who, body_kind body,
                         net::awaitable<response> (*fn)(services&, request_context&)) {
        routes.add(
            {m, std::string("/api/user-sessions") + path, who, body, rate_bucket::per_user,
             [&s, fn](request_context& ctx) { return fn(s, ctx); }}
        );
    };
    add(method::post, "/join-meeting", access::user, body_kind::json, join);
    add(method::post, "/leave-meeting", access::user, body_kind::json, leave);
    add(method::post, "/activity", access::user, body_kind::json, activity);
    add(method::get, "/my-sessions", access::user, body_kind::none, my_sessions);
    add(method::get, "/meeting/:meetingId/authenticated-participants", access::admin,
        body_kind::none, authenticated_participants);
    add(method::post, "/meeting/:meetingId/end", access::admin, body_kind::json, end_meeting);
    add(method::get, "/stats", access::admin, body_kind::none, stats);
}

}  // namespace headcount::api
