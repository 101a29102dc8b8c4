#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/password_hasher.hpp"
#include "auth/user.hpp"
#include "common/errors.hpp"
#include "common/rate_limiter.hpp"
#include "config/settings.hpp"

namespace headcount::auth {

/// One sign-in as the limits count it: from a client address, for an account name.
struct sign_in_attempt {
    std::string address;         ///< the client address
    std::string account;         ///< login_key() of the login given: what the lookup uses
    std::string account_bucket;  ///< the account's key in its limiter (a fixed-size digest)
};

/// Password sign-in within the contract's limits on *failed* sign-ins: per client address
/// and per account name, from any address. A sign-in refused by either limit is answered
/// `rate_limited` with when to try again, and its password is not checked; a successful one
/// is not counted, so a class behind one school address signs in at once. Thread-safe.
///
/// Each attempt takes a token from both its buckets just before its password is checked and
/// gives them back when the password was right: the buckets count failures, and however
/// many attempts arrive at once, no more passwords are tried than the limits allow.
/// Memory is bounded: the limiters keep at most rate_limiter::default_max_keys keys each,
/// and an account's key is a 16-byte digest whatever the length of the login.
class sign_in_service {
public:
    using clock_type = rate_limiter::clock_type;

    sign_in_service(const password_hasher& passwords, const config::rate_limit_settings& limits);

    /// The attempt to sign in as `login` from `address`.
    sign_in_attempt attempt(std::string address, std::string_view login) const;

    /// `rate_limited` while either limit is exhausted, else nullopt. Cheap: called before the
    /// lookup, so a client that is turned away costs no storage read and waits for no hash.
    std::optional<api_error> screen(
        const sign_in_attempt& attempt, clock_type::time_point now = clock_type::now()
    ) const;

    /// Checks `password` against `account`, the user the login names (nullopt: none, which
    /// takes as long, so timing does not tell which accounts exist): the user,
    /// `invalid_credentials` (counted against both limits), or `rate_limited` (not checked).
    /// Blocking (argon2id): run it on the hashing pool.
    outcome<user> sign_in(
        const sign_in_attempt& attempt,
        const std::optional<user>& account,
        std::string_view password,
        clock_type::time_point now = clock_type::now()
    );

private:
    std::optional<api_error> take_tokens(
        const sign_in_attempt& attempt, clock_type::time_point now
    );
    void give_tokens_back(const sign_in_attempt& attempt, clock_type::time_point now);

    const password_hasher& passwords_;
    rate_limiter per_address_;
    rate_limiter per_account_;
    std::string bucket_secret_;
};

}  // namespace headcount::auth
