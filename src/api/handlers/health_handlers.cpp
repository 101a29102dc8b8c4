#include "api/handlers/services.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

net::awaitable<response> ready(services& s, request_context&) {
    const bool up = co_await store::read(s.db, [](store::unit& u) { return u.probe(); });
    if (!up)
        throw api_exception({errc::unavailable, "Storage unavailable", {}});
    if (!s.events.healthy())
        throw api_exception({errc::unavailable, "Event bus unavailable", {}});
    co_return success({{"status", "ready"}, {"storage", s.db.kind()}, {"bus", s.events.kind()}});
}

/// The registered metrics plus the active user sessions, counted in storage at scrape time
/// (so every instance on one database reports the same number). A scrape still answers
/// when storage is down, without that gauge.
net::awaitable<response> metrics_text(services& s, request_context&) {
    response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = s.stats.render();
    try {
        const auto counts = co_await store::read(s.db, [&](store::unit& u) {
            return s.sessions.stats(u.sessions());
        });
        metrics::append_gauge(
            r.body, "headcount_user_sessions_active", "Active user sessions (all instances).",
            static_cast<double>(counts.total_active)
        );
    } catch (const api_exception&) {
        // storage is down: the rest of the metrics still answer, and /readyz says why
    }
    co_return r;
}

}  // namespace

void add_health_routes(const route_table& routes, services& s) {
    routes.add(
        {method::get, "/healthz", access::anyone, body_kind::none, rate_bucket::none,
         [](request_context&) -> net::awaitable<response> {
             co_return success({{"status", "ok"}});
         }}
    );
    routes.add(
        {method::get, "/readyz", access::anyone, body_kind::none, rate_bucket::none,
         [&s](request_context& ctx) { return ready(s, ctx); }}
    );
    routes.add(
        {method::get, "/metrics", access::anyone, body_kind::none, rate_bucket::none,
         [&s](request_context& ctx) { return metrics_text(s, ctx); }}
    );
}

}  // namespace headcount::api
