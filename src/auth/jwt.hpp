#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/clock.hpp"

namespace headcount::auth {

/// Why a token was refused; the API answers every one of them `invalid_token`.
enum class jwt_error {
    malformed,
    unsupported_algorithm,
    bad_signature,
    missing_expiry,
    expired,
    not_yet_valid,
    missing_subject,
};

/// The subject of an accepted token: the user id from `sub`, else `id`, else `userId`
/// (the Node system signed `{ id }`), as text.
struct verified_token {
    std::string subject;
    boost::json::object claims;
    /// The last instant at which this token is accepted (`exp` plus the leeway).
    timestamp accepted_until;
};

/// HS256 JSON Web Tokens (RFC 7519) signed with one shared secret. Verification pins the
/// algorithm, compares signatures in constant time, requires `exp` and allows 30 s of
/// clock skew on `exp` and `nbf`. Immutable, so thread-safe.
class jwt_codec {
public:
    static constexpr std::chrono::seconds leeway{30};

    explicit jwt_codec(std::string secret) : secret_(std::move(secret)) {}

    /// Signs the claims as given (the caller sets `iat`, `exp`, `sub`...).
    std::string sign(const boost::json::object& claims) const;

    struct verify_result {
        std::optional<verified_token> token;
        jwt_error error = jwt_error::malformed;
    };
    verify_result verify(std::string_view token, timestamp now) const;

private:
    std::string secret_;
};

}  // namespace headcount::auth
