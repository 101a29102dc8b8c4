#include "auth/sign_in_service.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace headcount::auth {
namespace {

using namespace std::chrono_literals;
using clock_type = sign_in_service::clock_type;

const clock_type::time_point t0{std::chrono::hours{1000}};
constexpr std::string_view right_password = "correct-horse";

// One hasher and one stored hash for the file: each costs 64 MiB and tens of milliseconds.
const password_hasher& hasher() {
    static const password_hasher instance;
    return instance;
}

const std::optional<user>& alice() {
    static const std::optional<user> account =
        user{user_id{1}, "alice",      "alice@example.org",
             role::user, std::nullopt, hasher().hash(right_password)};
    return account;
}

sign_in_service service(config::rate_limit per_address, config::rate_limit per_account) {
    config::rate_limit_settings limits;
    limits.failed_sign_ins = per_address;
    limits.failed_sign_ins_per_account = per_account;
    return {hasher(), limits};
}

/// Whether `error` is the contract's 429 with a wait of `wait`, said in the message too.
void expect_refused(const std::optional<api_error>& error, std::chrono::seconds wait) {
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code, errc::rate_limited);
    EXPECT_EQ(error->retry_after, wait);
    EXPECT_EQ(
        error->message,
        "Too many failed sign-ins, try again in " + std::to_string(wait.count()) + " s"
    );
}

void expect_refused(const outcome<user>& result, std::chrono::seconds wait) {
    ASSERT_TRUE(result.has_error());
    expect_refused(std::optional{result.error()}, wait);
}

void expect_wrong_password(const outcome<user>& result) {
    ASSERT_TRUE(result.has_error());
    EXPECT_EQ(result.error().code, errc::invalid_credentials);
    EXPECT_EQ(result.error().message, "Invalid username or password");
}

TEST(SignInService, SuccessfulSignInsAreNotCounted) {
    auto sign_ins = service({2, 2}, {2, 2});
    const auto attempt = sign_ins.attempt("10.0.0.1", "alice");
    for (int i = 0; i < 4; ++i) {
        const auto signed_in = sign_ins.sign_in(attempt, alice(), right_password, t0);
        ASSERT_TRUE(signed_in.has_value()) << "sign-in " << i;
        EXPECT_EQ(signed_in->id, user_id{1});
    }
    EXPECT_EQ(sign_ins.screen(attempt, t0), std::nullopt);
    expect_wrong_password(sign_ins.sign_in(attempt, alice(), "wrong-horse", t0));
    expect_wrong_password(sign_ins.sign_in(attempt, alice(), "wrong-horse", t0));
    expect_refused(sign_ins.screen(attempt, t0), 30s);
}

TEST(SignInService, FailuresAreCountedPerAccountFromAnyAddress) {
    auto sign_ins = service({100, 100}, {5, 5});  // an account gets a token back every 12 s
    for (int i = 0; i < 5; ++i) {
        const auto attempt = sign_ins.attempt("10.0.0." + std::to_string(i), "alice");
        EXPECT_EQ(sign_ins.screen(attempt, t0), std::nullopt) << "attempt " << i;
        expect_wrong_password(sign_ins.sign_in(attempt, alice(), "wrong-horse", t0));
    }
    const auto sixth = sign_ins.attempt("10.0.0.99", "alice");
    expect_refused(sign_ins.screen(sixth, t0), 12s);
    expect_refused(sign_ins.sign_in(sixth, alice(), "wrong-horse", t0), 12s);
    // The right password is refused too while the account is locked out...
    expect_refused(sign_ins.sign_in(sixth, alice(), right_password, t0 + 2s), 10s);
    // ...other accounts from the same address are not...
    EXPECT_EQ(sign_ins.screen(sign_ins.attempt("10.0.0.99", "bob"), t0), std::nullopt);
    // ...and once a token is back the account signs in.
    EXPECT_TRUE(sign_ins.sign_in(sixth, alice(), right_password, t0 + 12s).has_value());
}

TEST(SignInService, ALoginIsCountedAsTheLookupReadsIt) {
    auto sign_ins = service({100, 100}, {2, 2});
    // A name no account has is counted like any other.
    const std::optional<user> nobody;
    expect_wrong_password(sign_ins.sign_in(sign_ins.attempt("a", "Nobody"), nobody, "x", t0));
    expect_wrong_password(sign_ins.sign_in(sign_ins.attempt("b", " NOBODY\t"), nobody, "x", t0));
    const auto again = sign_ins.attempt("c", "nobody");
    EXPECT_EQ(again.account, "nobody");
    expect_refused(sign_ins.screen(again, t0), 30s);
    EXPECT_EQ(sign_ins.screen(sign_ins.attempt("c", "nobody2"), t0), std::nullopt);
}

TEST(SignInService, FailuresAreCountedPerAddressWhateverTheAccount) {
    auto sign_ins = service({3, 3}, {0, 0});  // an address gets a token back every 20 s
    const std::optional<user> nobody;
    for (const auto* name : {"ann", "ben", "cat"})
        expect_wrong_password(sign_ins.sign_in(sign_ins.attempt("10.0.0.1", name), nobody, "x", t0)
        );
    expect_refused(sign_ins.screen(sign_ins.attempt("10.0.0.1", "dan"), t0), 20s);
    expect_refused(
        sign_ins.sign_in(sign_ins.attempt("10.0.0.1", "alice"), alice(), right_password, t0), 20s
    );
    const auto elsewhere = sign_ins.attempt("10.0.0.2", "alice");
    EXPECT_EQ(sign_ins.screen(elsewhere, t0), std::nullopt);
    EXPECT_TRUE(sign_ins.sign_in(elsewhere, alice(), right_password, t0).has_value());
}

TEST(SignInService, ZeroTurnsEachLimitOff) {
    auto sign_ins = service({0, 2}, {2, 0});
    const auto attempt = sign_ins.attempt("10.0.0.1", "alice");
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(sign_ins.screen(attempt, t0), std::nullopt) << "attempt " << i;
        expect_wrong_password(sign_ins.sign_in(attempt, alice(), "wrong-horse", t0));
    }
}

TEST(SignInService, AttemptsArrivingAtOnceTryNoMorePasswordsThanTheLimitAllows) {
    auto sign_ins = service({100, 100}, {2, 2});
    std::atomic<int> wrong{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 8; ++i) {
        clients.emplace_back([&, i] {
            const auto attempt = sign_ins.attempt("10.0.1." + std::to_string(i), "alice");
            const auto result = sign_ins.sign_in(attempt, alice(), "wrong-horse", t0);
            const auto code = result.has_error() ? result.error().code : errc::internal;
            ++(code == errc::rate_limited ? refused : wrong);
        });
    }
    for (auto& c : clients)
        c.join();
    EXPECT_EQ(wrong.load(), 2);
    EXPECT_EQ(refused.load(), 6);
}

TEST(SignInService, AnAccountsBucketIsAFixedSizeDigestWhateverTheLogin) {
    const auto sign_ins = service({1, 1}, {1, 1});
    const auto long_name = sign_ins.attempt("10.0.0.1", std::string(1000, 'x'));
    EXPECT_EQ(long_name.account, std::string(1000, 'x'));
    EXPECT_EQ(long_name.account_bucket.size(), 16U);
    EXPECT_EQ(
        sign_ins.attempt("a", "Alice").account_bucket, sign_ins.attempt("b", "alice").account_bucket
    );
    EXPECT_NE(
        sign_ins.attempt("a", "alice").account_bucket, sign_ins.attempt("a", "alicf").account_bucket
    );
}

}  // namespace
}  // namespace headcount::auth
