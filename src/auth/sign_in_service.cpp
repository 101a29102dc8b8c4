#include "auth/sign_in_service.hpp"

#include <algorithm>

#include "auth/account_rules.hpp"
#include "common/crypto.hpp"

namespace headcount::auth {
namespace {

using namespace std::chrono_literals;

/// Enough of a digest that distinct logins never share a bucket in practice.
constexpr std::size_t account_bucket_size = 16;

api_error too_many_failures(std::chrono::seconds wait) {
    return api_error::rate_limited("Too many failed sign-ins", wait);
}

api_error invalid_credentials() {
    return {errc::invalid_credentials, "Invalid username or password", {}};
}

}  // namespace

sign_in_service::sign_in_service(
    const password_hasher& passwords, const config::rate_limit_settings& limits
)
    : passwords_(passwords),
      per_address_(limits.failed_sign_ins.per_minute, limits.failed_sign_ins.burst),
      per_account_(
          limits.failed_sign_ins_per_account.per_minute, limits.failed_sign_ins_per_account.burst
      ),
      // Keyed, so that nobody can choose a login whose bucket is another account's.
      bucket_secret_(crypto::random_bytes(32)) {}

sign_in_attempt sign_in_service::attempt(std::string address, std::string_view login) const {
    sign_in_attempt a{std::move(address), login_key(login), {}};
    const auto digest = crypto::hmac_sha256(bucket_secret_, a.account);
    a.account_bucket.assign(digest.begin(), digest.begin() + account_bucket_size);
    return a;
}

std::optional<api_error> sign_in_service::screen(
    const sign_in_attempt& attempt, clock_type::time_point now
) const {
    const auto by_address = per_address_.wait(attempt.address, now);
    const auto by_account = per_account_.wait(attempt.account_bucket, now);
    if (!by_address && !by_account)
        return std::nullopt;
    return too_many_failures(std::max(by_address.value_or(0s), by_account.value_or(0s)));
}

std::optional<api_error> sign_in_service::take_tokens(
    const sign_in_attempt& attempt, clock_type::time_point now
) {
    if (const auto wait = per_address_.take(attempt.address, now))
        return too_many_failures(*wait);
    if (const auto wait = per_account_.take(attempt.account_bucket, now)) {
        per_address_.give_back(attempt.address, now);
        return too_many_failures(*wait);
    }
    return std::nullopt;
}

void sign_in_service::give_tokens_back(const sign_in_attempt& attempt, clock_type::time_point now) {
    per_address_.give_back(attempt.address, now);
    per_account_.give_back(attempt.account_bucket, now);
}

outcome<user> sign_in_service::sign_in(
    const sign_in_attempt& attempt,
    const std::optional<user>& account,
    std::string_view password,
    clock_type::time_point now
) {
    if (auto refused = take_tokens(attempt, now))
        return std::move(*refused);
    if (!account) {
        passwords_.verify_nothing(password);
        return invalid_credentials();
    }
    if (!passwords_.verify(password, account->password_hash))
        return invalid_credentials();
    give_tokens_back(attempt, now);
    return *account;
}

}  // namespace headcount::auth
