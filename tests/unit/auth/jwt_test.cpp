#include "auth/jwt.hpp"

#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/crypto.hpp"
#include "common/json.hpp"

namespace headcount::auth {
namespace {

constexpr std::int64_t now_s = 1767261600;  // 2026-01-01T10:00:00Z
const timestamp now = from_epoch_ms(now_s * 1000);
const std::string secret = "test-secret-of-some-length";

std::string b64(std::string_view text) {
    return crypto::base64url_encode(text);
}

/// A token built by hand: any header, any payload, signed with HMAC of `digest`.
std::string hand_made(
    std::string_view header, std::string_view payload, const EVP_MD* digest = EVP_sha256()
) {
    std::string input = b64(header) + "." + b64(payload);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(
        digest, secret.data(), static_cast<int>(secret.size()),
        reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length
    );
    return input + "." + b64(std::string_view(reinterpret_cast<const char*>(mac), length));
}

constexpr std::string_view hs256 = R"({"alg":"HS256","typ":"JWT"})";

jwt_codec::verify_result verify(const std::string& token, timestamp at = now) {
    return jwt_codec(secret).verify(token, at);
}

TEST(Jwt, SignsHs256ThatVerifiesAndKeepsTheClaims) {
    const jwt_codec codec(secret);
    boost::json::object claims{{"sub", "42"}, {"username", "ann"}, {"exp", now_s + 60}};
    const auto token = codec.sign(claims);
    const auto header = crypto::base64url_decode(token.substr(0, token.find('.')));
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(*header, hs256);
    const auto result = codec.verify(token, now);
    ASSERT_TRUE(result.token.has_value());
    EXPECT_EQ(result.token->subject, "42");
    EXPECT_EQ(result.token->claims.at("username").as_string(), "ann");
}

TEST(Jwt, MatchesAnIndependentlyComputedHs256Signature) {
    const auto payload = R"({"sub":"7","exp":)" + std::to_string(now_s + 60) + "}";
    const auto token = hand_made(hs256, payload);
    EXPECT_EQ(jwt_codec(secret).sign(*json::parse(payload)->if_object()), token);
    EXPECT_TRUE(verify(token).token.has_value());
}

TEST(Jwt, RefusesEveryAlgorithmButHs256) {
    const auto payload = R"({"sub":"7","exp":)" + std::to_string(now_s + 60) + "}";
    for (const std::string& header : std::vector<std::string>{
             R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS512","typ":"JWT"})",
             R"({"alg":"hs256"})", R"({"alg":"RS256"})", R"({"typ":"JWT"})", R"({"alg":null})",
             R"({"alg":["HS256"]})"}) {
        const auto result = verify(hand_made(header, payload));
        EXPECT_FALSE(result.token.has_value()) << header;
        EXPECT_EQ(result.error, jwt_error::unsupported_algorithm) << header;
    }
    // Correctly signed with HMAC-SHA512 is still refused: the algorithm is pinned.
    EXPECT_EQ(
        verify(hand_made(R"({"alg":"HS512","typ":"JWT"})", payload, EVP_sha512())).error,
        jwt_error::unsupported_algorithm
    );
    // alg none with an empty signature part.
    const auto unsigned_token = b64(R"({"alg":"none"})") + "." + b64(payload) + ".";
    EXPECT_EQ(verify(unsigned_token).error, jwt_error::unsupported_algorithm);
}

TEST(Jwt, RefusesATamperedOrForeignSignature) {
    const jwt_codec codec(secret);
    const auto token = codec.sign({{"sub", "1"}, {"exp", now_s + 60}});
    // A character in the middle: the last one of unpadded base64url carries unused bits.
    auto tampered = token;
    auto& c = tampered[token.rfind('.') + 10];
    c = c == 'A' ? 'B' : 'A';
    EXPECT_EQ(verify(tampered).error, jwt_error::bad_signature);

    // Same signature, payload changed to another user.
    const auto sig = token.substr(token.rfind('.'));
    const auto forged =
        b64(hs256) + "." + b64(R"({"sub":"2","exp":)" + std::to_string(now_s + 60) + "}") + sig;
    EXPECT_EQ(verify(forged).error, jwt_error::bad_signature);

    const auto other = jwt_codec("another-secret").sign({{"sub", "1"}, {"exp", now_s + 60}});
    EXPECT_EQ(verify(other).error, jwt_error::bad_signature);
    // A truncated signature is a bad one too (the comparison handles unequal lengths).
    EXPECT_EQ(verify(token.substr(0, token.size() - 4)).error, jwt_error::bad_signature);
}

TEST(Jwt, RequiresANumericExpAndAllowsThirtySecondsOfLeeway) {
    const jwt_codec codec(secret);
    EXPECT_EQ(verify(codec.sign({{"sub", "1"}})).error, jwt_error::missing_expiry);
    EXPECT_EQ(verify(codec.sign({{"sub", "1"}, {"exp", "soon"}})).error, jwt_error::missing_expiry);
    EXPECT_EQ(
        verify(codec.sign({{"sub", "1"}, {"exp", nullptr}})).error, jwt_error::missing_expiry
    );

    const auto token = codec.sign({{"sub", "1"}, {"exp", now_s}});
    EXPECT_TRUE(verify(token, now).token.has_value());
    EXPECT_TRUE(verify(token, now + std::chrono::seconds(30)).token.has_value());
    EXPECT_EQ(
        verify(token, now + std::chrono::seconds(30) + std::chrono::milliseconds(1)).error,
        jwt_error::expired
    );
    EXPECT_EQ(verify(token, now + std::chrono::hours(1)).error, jwt_error::expired);
    // Fractional NumericDates are allowed (RFC 7519 section 2).
    EXPECT_TRUE(verify(codec.sign({{"sub", "1"}, {"exp", now_s - 29.5}})).token.has_value());
}

TEST(Jwt, NotBeforeHasTheSameLeeway) {
    const jwt_codec codec(secret);
    EXPECT_TRUE(verify(codec.sign({{"sub", "1"}, {"exp", now_s + 600}, {"nbf", now_s + 30}})
    ).token.has_value());
    EXPECT_EQ(
        verify(codec.sign({{"sub", "1"}, {"exp", now_s + 600}, {"nbf", now_s + 31}})).error,
        jwt_error::not_yet_valid
    );
}

TEST(Jwt, TheSubjectIsSubElseIdElseUserId) {
    const jwt_codec codec(secret);
    const auto exp = now_s + 60;
    struct vector {
        boost::json::object claims;
        std::optional<std::string> subject;
    };
    const vector vectors[] = {
        {{{"sub", "1"}, {"id", "2"}, {"userId", "3"}, {"exp", exp}}, "1"},
        {{{"id", "2"}, {"userId", "3"}, {"exp", exp}}, "2"},
        {{{"userId", "3"}, {"exp", exp}}, "3"},
        {{{"id", 12}, {"exp", exp}}, "12"},
        {{{"sub", nullptr}, {"id", "5"}, {"exp", exp}}, "5"},
        {{{"sub", ""}, {"userId", "6"}, {"exp", exp}}, "6"},
        {{{"id", "507f1f77bcf86cd799439011"}, {"exp", exp}}, "507f1f77bcf86cd799439011"},
        {{{"exp", exp}}, std::nullopt},
        {{{"sub", true}, {"id", "2"}, {"exp", exp}}, std::nullopt},
        {{{"sub", 1.5}, {"exp", exp}}, std::nullopt},
        {{{"sub", boost::json::object{}}, {"exp", exp}}, std::nullopt},
    };
    for (const auto& v : vectors) {
        const auto result = verify(codec.sign(v.claims));
        if (v.subject) {
            ASSERT_TRUE(result.token.has_value()) << json::to_string(v.claims);
            EXPECT_EQ(result.token->subject, *v.subject);
        } else {
            EXPECT_FALSE(result.token.has_value()) << json::to_string(v.claims);
            EXPECT_EQ(result.error, jwt_error::missing_subject);
        }
    }
}

TEST(Jwt, RefusesMalformedTokens) {
    const auto payload = R"({"sub":"1","exp":)" + std::to_string(now_s + 60) + "}";
    const auto good = hand_made(hs256, payload);
    const auto signature = good.substr(good.rfind('.') + 1);
    for (const std::string& bad : std::vector<std::string>{
             std::string(),
             std::string("abc"),
             std::string("a.b"),
             std::string("a.b.c.d"),
             good + ".",
             std::string("!!!.") + b64(payload) + "." + signature,
             b64(hs256) + ".@@@." + signature,
             b64(hs256) + "." + b64(payload) + ".%%%",
             b64("not json") + "." + b64(payload) + "." + signature,
             b64("[1,2]") + "." + b64(payload) + "." + signature,
         }) {
        const auto result = verify(bad);
        EXPECT_FALSE(result.token.has_value()) << bad;
        EXPECT_EQ(result.error, jwt_error::malformed) << bad;
    }
    // A payload that is not a JSON object, correctly signed, is malformed too.
    for (const std::string& body :
         std::vector<std::string>{"not json", "[1]", "\"x\"", "{\"sub\":\"1\""}) {
        const auto result = verify(hand_made(hs256, body));
        EXPECT_EQ(result.error, jwt_error::malformed) << body;
    }
}

}  // namespace
}  // namespace headcount::auth
