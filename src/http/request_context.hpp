#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "auth/user.hpp"

namespace headcount::http {

enum class method { get, head, post, put, patch, del, options, other };

std::string_view to_string(method m);

/// Everything a handler may look at for one request. Lives for the request.
struct request_context {
    method verb = method::get;
    std::string target;                                        ///< as received: path and query
    std::string path;                                          ///< percent-decoded path
    std::vector<std::pair<std::string, std::string>> query;    ///< decoded, in order
    std::vector<std::pair<std::string, std::string>> params;   ///< from the route pattern
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string remote_address;  ///< the peer, or X-Forwarded-For's first hop with TRUST_PROXY=1
    std::string request_id;
    std::string route;  ///< the matched pattern, e.g. `/api/users/:id`
    std::chrono::steady_clock::time_point started;

    std::optional<auth::user> principal;  ///< set by the authentication step
    boost::json::value json;              ///< the parsed body of a JSON route (null when empty)

    /// The first value of a header (name in lower case), or empty.
    std::string_view header(std::string_view lower_name) const;
    /// A path parameter by name.
    const std::string& param(std::string_view name) const;
    /// The first query value by name.
    std::optional<std::string_view> query_value(std::string_view name) const;
    /// The caller; only valid on routes that require authentication.
    const auth::user& user() const { return *principal; }
};

}  // namespace headcount::http
