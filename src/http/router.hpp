#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/request.hpp"
#include "http/response.hpp"

namespace headcount::http {

/// Answers one matched request. The request lives until the answer has been written.
using handler = std::function<boost::asio::awaitable<response>(request&)>;

/// One entry of the route table.
struct route {
    method verb = method::get;
    std::string pattern;         ///< `/api/users/:id`; a final `*` matches the rest of the path
    std::size_t body_limit = 0;  ///< the largest body accepted; 0: the server's default
    http::handler handle;
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
