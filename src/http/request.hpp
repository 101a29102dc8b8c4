#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace headcount::http {

enum class method { get, head, post, put, patch, del, options, other };

std::string_view to_string(method m);

/// One request as the server read it; lives until its response has been written.
struct request {
    method verb = method::get;
    std::string target;                                        ///< as received: path and query
    std::string path;                                          ///< percent-decoded path
    std::vector<std::pair<std::string, std::string>> query;    ///< decoded, in order
    std::vector<std::pair<std::string, std::string>> params;   ///< from the route pattern
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string remote_address;  ///< the peer, or X-Forwarded-For's first hop with trust_proxy
    std::string request_id;
    std::string route;  ///< the matched pattern, e.g. `/api/users/:id`
    std::string actor;  ///< who made it, for the request's log line; set by the application
    std::chrono::steady_clock::time_point started;

    /// The first value of a header (name in lower case), or empty.
    std::string_view header(std::string_view lower_name) const;
    /// A path parameter by name.
    const std::string& param(std::string_view name) const;
    /// The first query value by name.
    std::optional<std::string_view> query_value(std::string_view name) const;
};

}  // namespace headcount::http
