#pragma once

#include <boost/asio/awaitable.hpp>

#include "api/route.hpp"
#include "auth/authenticator.hpp"
#include "auth/user_cache.hpp"
#include "common/clock.hpp"
#include "common/logging.hpp"
#include "common/rate_limiter.hpp"
#include "config/settings.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/database.hpp"

namespace headcount::api {

/// The steps every matched request goes through, in the contract's order: the limit on
/// registrations by address, authentication (the user and role are loaded from storage, through a
/// short cache), rate limit by user, the admin check, then the body's media type and JSON, and
/// finally the handler. Anything a step or handler throws becomes the contract's error body
/// here; unexpected exceptions are logged with the request id and answered 500.
class pipeline {
public:
    struct parts {
        const auth::authenticator& authenticator;
        auth::user_cache& users;
        store::database& db;
        rate_limiter& registrations;
        rate_limiter& per_user;
        const clock& clk;
        const config::http_settings& settings;
    };

    explicit pipeline(parts p) : parts_(p) {}

    /// Adds `r` to the server's route table, behind these steps.
    void add(http::router& routes, route r) const;

    /// The contract's error body for a request the HTTP server refused itself.
    static response refusal_reply(http::refusal why, std::string message);

    /// The user named by an Authorization header (or bare token), as the API sees them;
    /// shared with Socket.IO's handshake.
    boost::asio::awaitable<outcome<auth::user>> authenticate(std::string_view authorization) const;
    boost::asio::awaitable<outcome<auth::user>> authenticate_token(std::string_view token) const;

private:
    boost::asio::awaitable<outcome<auth::user>> load_user(const outcome<user_id>& id) const;
    boost::asio::awaitable<response> run(const route& r, http::request& req) const;
    boost::asio::awaitable<response> steps(const route& r, request_context& ctx) const;
    /// The body's media type and, for JSON, its parse; an error reply when refused.
    std::optional<response> check_body(const route& r, request_context& ctx) const;

    parts parts_;
    log::logger log_{"http"};
};

/// Where the handler files add their routes: into the server's table, behind the pipeline.
struct route_table {
    const pipeline& steps;
    http::router& routes;

    void add(route r) const { steps.add(routes, std::move(r)); }
};

}  // namespace headcount::api
