#pragma once

#include <string_view>

#include "api/request_context.hpp"
#include "common/errors.hpp"

namespace headcount::api {

/// The HTTP status of a contract error code.
unsigned status_of(errc code);
/// The wire name of a contract error code (`invalid_json`, ...).
std::string_view code_name(errc code);
/// `{"success": false, "code", "message"[, "fields"]}` with the code's status, and a
/// `Retry-After` header when the error says when to try again.
response error_reply(const api_error& error);

}  // namespace headcount::api
