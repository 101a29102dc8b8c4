#include <algorithm>
#include <stdexcept>

#include "api/handlers/services.hpp"
#include "api/static_files.hpp"
#include "common/json.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

/// Every path the dashboard's client-side router draws; each gets the same page shell.
constexpr std::string_view page_routes[] = {"/", "/meeting/:meetingId", "/my-sessions", "/admin/*"};
/// Where the Node Socket.IO server serves its client bundle; the route table answers these
/// before the Engine.IO endpoint that owns the rest of `/socket.io/`.
constexpr std::string_view client_bundle_routes[] = {
    "/socket.io/socket.io.js", "/socket.io/socket.io.min.js"};
/// The meeting page's heartbeat: three chances per session timeout, at most once a minute.
constexpr long long heartbeat_per_timeout = 3;
constexpr long long max_heartbeat_seconds = 60;

const static_files::file& required(const static_files& files, std::string_view path) {
    const auto* found = files.find(path);
    if (found == nullptr)
        throw std::logic_error("the build embedded no " + std::string(path));
    return *found;
}

net::awaitable<response> serve_file(const static_files::file& f, request_context& ctx) {
    co_return static_files::serve(f, ctx.request);
}

net::awaitable<response> serve_asset(const static_files& files, request_context& ctx) {
    const auto* found = files.find(ctx.request.path);
    if (found == nullptr)
        throw api_exception({errc::not_found, "No such file: " + ctx.request.path, {}});
    co_return static_files::serve(*found, ctx.request);
}

/// What the pages need from the server's settings, so a shorter SESSION_TIMEOUT still gets
/// heartbeats in time.
std::string client_settings(const config::session_settings& sessions) {
    const long long timeout = sessions.session_timeout.count();
    const long long heartbeat =
        std::clamp(timeout / heartbeat_per_timeout, 1LL, max_heartbeat_seconds);
    std::string out;
    json::write(
        out,
        boost::json::object{{"heartbeatSeconds", heartbeat}, {"sessionTimeoutSeconds", timeout}}
    );
    return out;
}

void add_get(const route_table& routes, std::string_view pattern, handler h) {
    routes.add(
        {method::get, std::string(pattern), access::anyone, body_kind::none, rate_bucket::none,
         std::move(h)}
    );
}

}  // namespace

void add_web_routes(const route_table& routes, services& s, const static_files& files) {
    const auto& shell = required(files, "/index.html");
    for (const auto pattern : page_routes)
        add_get(routes, pattern, [&shell](request_context& ctx) { return serve_file(shell, ctx); });
    const auto& bundle = required(files, "/socket.io/socket.io.js");
    for (const auto pattern : client_bundle_routes) {
        add_get(routes, pattern, [&bundle](request_context& ctx) {
            return serve_file(bundle, ctx);
        });
    }
    add_get(routes, "/assets/*", [&files](request_context& ctx) {
        return serve_asset(files, ctx);
    });
    add_get(
        routes, "/config.json",
        [body =
             client_settings(s.settings.sessions)](request_context&) -> net::awaitable<response> {
            response r;
            r.body = body;
            r.header("Cache-Control", "no-cache");
            co_return r;
        }
    );
}

}  // namespace headcount::api
