#pragma once

#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "api/request_context.hpp"

namespace headcount::api {

/// Who may call a route.
enum class access {
    anyone,  ///< no token (register, login, health, the dashboard's files)
    user,    ///< a valid bearer token of an existing user
    admin,   ///< as `user`, and the stored role is admin
};

/// What a route's body must be.
enum class body_kind {
    none,  ///< ignored
    json,  ///< application/json (an empty body is allowed and parses as null)
    csv,   ///< text/csv, with the larger CSV limit
    raw,   ///< any bytes, checked by the handler (the Zoom webhook's signature covers them)
};

/// Which token bucket a route draws from before its handler runs.
enum class rate_bucket {
    none,
    registrations,  ///< the client address's registrations
    per_user,       ///< the user's, after authentication
};

using handler = std::function<boost::asio::awaitable<response>(request_context&)>;

/// One API route: the HTTP route plus what the pipeline checks before its handler.
struct route {
    method verb = method::get;
    std::string pattern;
    access who = access::anyone;
    body_kind body = body_kind::none;
    rate_bucket bucket = rate_bucket::none;
    api::handler handle;
};

}  // namespace headcount::api
