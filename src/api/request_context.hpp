#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "auth/user.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace headcount::api {

using http::json_response;
using http::method;
using http::response;
using http::success;

/// What a handler sees of one request: the request as read, and what the pipeline's steps
/// established about it. Lives for the request.
struct request_context {
    explicit request_context(http::request& r) : request(r) {}

    http::request& request;
    std::optional<auth::user> principal;  ///< set by the authentication step
    boost::json::value json;              ///< the parsed body of a JSON route (null when empty)

    std::string_view header(std::string_view lower_name) const {
        return request.header(lower_name);
    }
    const std::string& param(std::string_view name) const { return request.param(name); }
    std::optional<std::string_view> query_value(std::string_view name) const {
        return request.query_value(name);
    }
    const std::string& body() const { return request.body; }
    /// The caller; only valid on routes that require authentication.
    const auth::user& user() const { return *principal; }
};

}  // namespace headcount::api
