#pragma once

#include <string>
#include <string_view>

namespace headcount::auth {

/// argon2id password hashes through libsodium at its "interactive" limits (64 MiB, 2 passes).
/// Each call takes tens of milliseconds and 64 MiB: run them on the blocking pool and bound
/// how many run at once. Thread-safe.
class password_hasher {
public:
    password_hasher();

    /// A self-describing `$argon2id$v=19$m=...` string with its own random salt.
    std::string hash(std::string_view password) const;
    bool verify(std::string_view password, const std::string& stored_hash) const;
    /// Spends the time a verify takes, for logins of unknown users (no user enumeration by timing).
    void verify_nothing(std::string_view password) const;

private:
    std::string dummy_hash_;
};

}  // namespace headcount::auth
