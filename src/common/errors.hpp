#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <boost/system/result.hpp>

namespace headcount {

/// The contract's machine-readable error codes (CONTRACT section 2). The HTTP layer maps
/// each to its status and wire name once, in http/error_reply.
enum class errc {
    invalid_json,
    validation_failed,
    missing_token,
    invalid_token,
    user_not_found,
    invalid_credentials,
    invalid_signature,
    forbidden,
    no_active_session,
    not_found,
    method_not_allowed,
    conflict,
    payload_too_large,
    unsupported_media_type,
    rate_limited,
    unavailable,
    internal,
};

/// An expected failure: a contract error code, a human message and, for
/// validation_failed, the offending fields with what is wrong with each; for rate_limited,
/// when to try again (the Retry-After header).
struct api_error {
    errc code = errc::internal;
    std::string message;
    std::map<std::string, std::string> fields;
    std::optional<std::chrono::seconds> retry_after = {};

    static api_error validation(std::map<std::string, std::string> fields) {
        return {errc::validation_failed, "Validation failed", std::move(fields)};
    }
    static api_error validation(std::string field, std::string why) {
        return validation({{std::move(field), std::move(why)}});
    }
    /// `rate_limited` with a message that says how long to wait: "<what>, try again in N s".
    static api_error rate_limited(const std::string& what, std::chrono::seconds retry_after) {
        return {
            errc::rate_limited,
            what + ", try again in " + std::to_string(retry_after.count()) + " s",
            {},
            retry_after,
        };
    }
};

/// Thrown by `outcome::value()` on an error; the transport boundary turns it into the
/// contract's error body.
struct api_exception : std::exception {
    explicit api_exception(api_error e) : error(std::move(e)) {}
    const char* what() const noexcept override { return error.message.c_str(); }
    api_error error;
};

[[noreturn]] inline void throw_exception_from_error(
    const api_error& e, const boost::source_location& /*where*/
) {
    throw api_exception(e);
}

/// A value or an expected failure.
template <class T>
using outcome = boost::system::result<T, api_error>;

template <class T>
inline constexpr bool is_outcome_v = false;
template <class T>
inline constexpr bool is_outcome_v<outcome<T>> = true;

}  // namespace headcount
