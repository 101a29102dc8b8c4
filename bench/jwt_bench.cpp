#include <benchmark/benchmark.h>

#include "auth/authenticator.hpp"
#include "auth/jwt.hpp"
#include "auth/token_issuer.hpp"

namespace headcount::auth {
namespace {

const timestamp now = from_epoch_ms(1767261600000);

/// What every authenticated request pays: a token as issued by register/login, verified.
void jwt_verify(benchmark::State& state) {
    const jwt_codec codec("a-secret-of-realistic-length-0123456789");
    const token_issuer issuer(codec, std::chrono::hours(12));
    const user u{user_id{1234}, "ann.lee", "ann.lee@example.com", role::user, std::nullopt, ""};
    const auto token = issuer.issue(u, now);
    for (auto _ : state) {
        auto result = codec.verify(token, now);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(jwt_verify);

/// The whole Authorization header step: prefix, verify, user id.
void authenticate_header(benchmark::State& state) {
    const jwt_codec codec("a-secret-of-realistic-length-0123456789");
    const authenticator auth(codec);
    const token_issuer issuer(codec, std::chrono::hours(12));
    const user u{user_id{1234}, "ann.lee", "ann.lee@example.com", role::user, std::nullopt, ""};
    const auto header = "Bearer " + issuer.issue(u, now);
    for (auto _ : state) {
        auto id = auth.authenticate(header, now);
        benchmark::DoNotOptimize(id);
    }
}
BENCHMARK(authenticate_header);

void jwt_sign(benchmark::State& state) {
    const jwt_codec codec("a-secret-of-realistic-length-0123456789");
    const token_issuer issuer(codec, std::chrono::hours(12));
    const user u{user_id{1234}, "ann.lee", "ann.lee@example.com", role::user, std::nullopt, ""};
    for (auto _ : state) {
        auto token = issuer.issue(u, now);
        benchmark::DoNotOptimize(token);
    }
}
BENCHMARK(jwt_sign);

}  // namespace
}  // namespace headcount::auth
