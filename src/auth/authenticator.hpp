#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/jwt.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"

namespace headcount::auth {

/// Turns an `Authorization` header value into the user id its token names.
/// `missing_token` without a header, `invalid_token` for anything but `Bearer <valid JWT>`,
/// `user_not_found` for a subject that cannot be a user id (storage numbers users).
/// Loading the user (and so the role) is the caller's job. Thread-safe.
///
/// A token accepted once is remembered until it expires, so the clients that send the same
/// token with every request pay for one signature check, not one each. Bounded: when full,
/// it is emptied.
class authenticator {
public:
    explicit authenticator(const jwt_codec& codec) : codec_(codec) {}

    outcome<user_id> authenticate(std::string_view authorization_header, timestamp now) const;
    /// The same for a bare token (Socket.IO's auth.token or ?token=).
    outcome<user_id> authenticate_token(std::string_view token, timestamp now) const;

private:
    struct accepted {
        user_id id;
        timestamp until;
    };
    struct text_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    static constexpr std::size_t capacity = 10000;

    std::optional<user_id> remembered(std::string_view token, timestamp now) const;
    void remember(std::string_view token, const accepted& a) const;

    const jwt_codec& codec_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, accepted, text_hash, std::equal_to<>> accepted_;
};

}  // namespace headcount::auth
