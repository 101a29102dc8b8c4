#include "api/handlers/services.hpp"
#include "common/json.hpp"
#include "common/logging.hpp"
#include "store/awaitable.hpp"
#include "zoom/webhook_signature.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

/// Zoom signs the raw bytes, so the body is verified before it is parsed, and nothing is
/// stored for a delivery whose signature or timestamp is not valid.
net::awaitable<response> webhook(services& s, request_context& ctx) {
    static const log::logger log("zoom");
    if (!zoom::verify_signature(
            s.settings.zoom.webhook_secret, ctx.header("x-zm-signature"),
            ctx.header("x-zm-request-timestamp"), ctx.body(), s.clk.now()
        )) {
        log.warn(
            "zoom webhook rejected: bad signature",
            {{"requestId", ctx.request.request_id}, {"ip", ctx.request.remote_address}}
        );
        throw api_exception({errc::invalid_signature, "Invalid webhook signature", {}});
    }
    const auto body = json::parse(ctx.body());
    if (!body)
        throw api_exception({errc::invalid_json, "Request body is not valid JSON", {}});
    const auto event = zoom::parse_webhook(*body).value();
    auto answer = co_await store::write(s.db, [&](store::unit& u) {
        return s.webhooks.apply(u.attendance(), u.outbox(), event);
    });
    co_return json_response(200, answer.value());
}

}  // namespace

void add_zoom_routes(const route_table& routes, services& s) {
    routes.add(
        {method::post, "/api/zoom/webhook", access::anyone, body_kind::raw, rate_bucket::none,
         [&s](request_context& ctx) { return webhook(s, ctx); }}
    );
}

}  // namespace headcount::api
