#pragma once

#include <string_view>

#include "auth/jwt.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"

namespace headcount::auth {

/// Turns an `Authorization` header value into the user id its token names.
/// `missing_token` without a header, `invalid_token` for anything but `Bearer <valid JWT>`,
/// `user_not_found` for a subject that cannot be a user id (storage numbers users).
/// Loading the user (and so the role) is the caller's job. Thread-safe.
class authenticator {
public:
    explicit authenticator(const jwt_codec& codec) : codec_(codec) {}

    outcome<user_id> authenticate(std::string_view authorization_header, timestamp now) const;
    /// The same for a bare token (Socket.IO's auth.token or ?token=).
    outcome<user_id> authenticate_token(std::string_view token, timestamp now) const;

private:
    const jwt_codec& codec_;
};

}  // namespace headcount::auth
