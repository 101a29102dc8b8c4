#include "auth/authenticator.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "auth/token_issuer.hpp"
#include "auth/user_cache.hpp"

namespace headcount::auth {
namespace {

constexpr std::int64_t now_s = 1767261600;
const timestamp now = from_epoch_ms(now_s * 1000);

class AuthenticatorTest : public ::testing::Test {
protected:
    jwt_codec codec{"secret"};
    authenticator auth{codec};

    std::string token_for(boost::json::object claims) const { return codec.sign(claims); }
};

TEST_F(AuthenticatorTest, ABearerTokenNamesItsUser) {
    const auto id =
        auth.authenticate("Bearer " + token_for({{"sub", "42"}, {"exp", now_s + 60}}), now);
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->value(), 42);
    // The Node system's `{ id }` tokens, with a number.
    const auto node =
        auth.authenticate("Bearer " + token_for({{"id", 7}, {"exp", now_s + 60}}), now);
    ASSERT_TRUE(node.has_value());
    EXPECT_EQ(node->value(), 7);
}

TEST_F(AuthenticatorTest, NoHeaderIsMissingTokenAndAnythingButBearerIsInvalidToken) {
    const auto token = token_for({{"sub", "42"}, {"exp", now_s + 60}});
    const auto missing = auth.authenticate("", now);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, errc::missing_token);
    EXPECT_EQ(missing.error().message, "No token provided");
    for (const std::string& header : std::vector<std::string>{
             token, "Basic " + token, "bearer " + token, "Bearer", "Bearer x.y.z",
             "Token " + token}) {
        const auto r = auth.authenticate(header, now);
        ASSERT_FALSE(r.has_value()) << header;
        EXPECT_EQ(r.error().code, errc::invalid_token) << header;
        EXPECT_EQ(r.error().message, "Invalid or expired token");
    }
    const auto expired = auth.authenticate("Bearer " + token, now + std::chrono::minutes(2));
    EXPECT_EQ(expired.error().code, errc::invalid_token);
}

TEST_F(AuthenticatorTest, AnAcceptedTokenIsRememberedOnlyUntilItExpires) {
    const auto token = token_for({{"sub", "42"}, {"exp", now_s + 60}});
    ASSERT_EQ(auth.authenticate_token(token, now).value().value(), 42);
    // The last accepted instant is exp + 30 s of leeway, to the millisecond.
    const auto last = from_epoch_ms((now_s + 60 + 30) * 1000);
    ASSERT_TRUE(auth.authenticate_token(token, last).has_value());
    const auto after = auth.authenticate_token(token, last + std::chrono::milliseconds(1));
    ASSERT_FALSE(after.has_value());
    EXPECT_EQ(after.error().code, errc::invalid_token);
    // A token differing in one signature character is checked on its own, and refused.
    auto forged = token;
    auto& c = forged[forged.size() - 5];
    c = c == 'A' ? 'B' : 'A';
    EXPECT_FALSE(auth.authenticate_token(forged, now).has_value());
}

TEST_F(AuthenticatorTest, ASubjectThatCannotBeAUserIdIsUserNotFound) {
    for (const std::string& subject : std::vector<std::string>{
             "507f1f77bcf86cd799439011", "0", "-3", "12abc", "99999999999999999999"}) {
        const auto r =
            auth.authenticate_token(token_for({{"sub", subject}, {"exp", now_s + 60}}), now);
        ASSERT_FALSE(r.has_value()) << subject;
        EXPECT_EQ(r.error().code, errc::user_not_found) << subject;
        EXPECT_EQ(r.error().message, "User not found");
    }
}

TEST_F(AuthenticatorTest, ABareTokenWorksTheSameWay) {
    EXPECT_EQ(auth.authenticate_token("", now).error().code, errc::missing_token);
    EXPECT_EQ(auth.authenticate_token("junk", now).error().code, errc::invalid_token);
    EXPECT_EQ(
        auth.authenticate_token(token_for({{"userId", "9"}, {"exp", now_s + 60}}), now)->value(), 9
    );
}

TEST(TokenIssuer, IssuesTheContractsClaims) {
    const jwt_codec codec("secret");
    const token_issuer issuer(codec, std::chrono::seconds(43200));
    const user u{user_id{5}, "ann", "ann@example.com", role::admin, std::nullopt, "hash"};
    const auto verified = codec.verify(issuer.issue(u, now + std::chrono::milliseconds(900)), now);
    ASSERT_TRUE(verified.token.has_value());
    const auto& c = verified.token->claims;
    EXPECT_EQ(c.at("sub").as_string(), "5");
    EXPECT_EQ(c.at("username").as_string(), "ann");
    EXPECT_EQ(c.at("email").as_string(), "ann@example.com");
    EXPECT_EQ(c.at("role").as_string(), "admin");
    EXPECT_EQ(c.at("iat").as_int64(), now_s);
    EXPECT_EQ(c.at("exp").as_int64(), now_s + 43200);
    EXPECT_EQ(c.size(), 6U);
    EXPECT_EQ(c.if_contains("password_hash"), nullptr);
}

TEST(UserCache, KeepsUsersForItsTtlAndEvictsOnRequest) {
    manual_clock clock(now);
    user_cache cache(clock, std::chrono::milliseconds(2000), 2);
    const user ann{user_id{1}, "ann", "a@x.org", role::user, std::nullopt, ""};
    const user bob{user_id{2}, "bob", "b@x.org", role::admin, std::nullopt, ""};
    EXPECT_FALSE(cache.find(ann.id).has_value());
    cache.put(ann);
    ASSERT_TRUE(cache.find(ann.id).has_value());
    EXPECT_EQ(cache.find(ann.id)->username, "ann");
    clock.advance(std::chrono::milliseconds(1999));
    EXPECT_TRUE(cache.find(ann.id).has_value());
    clock.advance(std::chrono::milliseconds(1));
    EXPECT_FALSE(cache.find(ann.id).has_value());

    cache.put(ann);
    cache.evict(ann.id);
    EXPECT_FALSE(cache.find(ann.id).has_value());

    // Bounded: a third user empties it.
    const user cat{user_id{3}, "cat", "c@x.org", role::user, std::nullopt, ""};
    cache.put(ann);
    cache.put(bob);
    cache.put(cat);
    EXPECT_FALSE(cache.find(ann.id).has_value());
    EXPECT_TRUE(cache.find(cat.id).has_value());
}

}  // namespace
}  // namespace headcount::auth
