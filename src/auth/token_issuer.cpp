#include "auth/token_issuer.hpp"

namespace headcount::auth {

std::string token_issuer::issue(const user& u, timestamp now) const {
    const auto iat = to_epoch_ms(now) / 1000;
    boost::json::object claims;
    claims["sub"] = std::to_string(u.id.value());
    claims["username"] = u.username;
    claims["email"] = u.email;
    claims["role"] = to_string(u.role);
    claims["iat"] = iat;
    claims["exp"] = iat + lifetime_.count();
    return codec_.sign(claims);
}

}  // namespace headcount::auth
