#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/request_context.hpp"
#include "http/response.hpp"

namespace headcount::http {

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

/// One entry of the route table.
struct route {
    method verb = method::get;
    std::string pattern;  ///< `/api/users/:id`; a final `*` matches the rest of the path
    access who = access::anyone;
    body_kind body = body_kind::none;
    rate_bucket bucket = rate_bucket::none;
    http::handler handle;
};

/// Runs a matched route's handler with whatever must come before it (the server does not
/// know about tokens or storage).
class route_runner {
public:
    virtual ~route_runner() = default;
    virtual boost::asio::awaitable<response> run(const route& r, request_context& ctx) const = 0;
};

/// The one route table. Patterns are matched segment by segment; `:name` captures one
/// segment. Built at start-up, read concurrently afterwards.
class router {
public:
    void add(route r);

    struct match {
        const route* found = nullptr;
        std::vector<std::pair<std::string, std::string>> params;
        /// When nothing matched the method but the path exists: the methods that would.
        std::vector<method> allowed;
    };
    /// HEAD is served by GET routes.
    match find(method verb, std::string_view path) const;

    /// The pattern of the route a path belongs to regardless of method, for metrics.
    const std::vector<route>& routes() const { return routes_; }

private:
    struct compiled {
        route spec;
        std::vector<std::string> segments;
        bool rest = false;
    };
    static bool matches(
        const compiled& c,
        const std::vector<std::string_view>& segments,
        std::vector<std::pair<std::string, std::string>>& params
    );

    std::vector<compiled> table_;
    std::vector<route> routes_;
};

}  // namespace headcount::http
