#pragma once

#include "auth/jwt.hpp"
#include "auth/user.hpp"
#include "common/clock.hpp"

namespace headcount::auth {

/// Issues the tokens register/login and the CLI hand out: `sub`, `username`, `email`,
/// `role`, `iat`, `exp`. Thread-safe.
class token_issuer {
public:
    token_issuer(const jwt_codec& codec, std::chrono::seconds lifetime)
        : codec_(codec), lifetime_(lifetime) {}

    std::string issue(const user& u, timestamp now) const;

private:
    const jwt_codec& codec_;
    std::chrono::seconds lifetime_;
};

}  // namespace headcount::auth
