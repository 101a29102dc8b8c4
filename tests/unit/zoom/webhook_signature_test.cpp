#include "zoom/webhook_signature.hpp"

#include <gtest/gtest.h>

namespace headcount::zoom {
namespace {

const timestamp now = from_epoch_ms(1767261600000);  // 2026-01-01T10:00:00Z
constexpr std::string_view secret = "zoom-secret";
constexpr std::string_view body = R"({"event":"meeting.started"})";

TEST(webhook_signature, known_vector) {
    // printf 'v0:1767261600:{"event":"meeting.started"}' | openssl dgst -sha256 -hmac zoom-secret
    EXPECT_EQ(
        sign(secret, "1767261600", body),
        "v0=1f7940ae0f9a9c83e57437beb794b9a37a081fbd5bb2cf533976a62de2128626"
    );
    EXPECT_TRUE(verify_signature(secret, sign(secret, "1767261600", body), "1767261600", body, now)
    );
}

TEST(webhook_signature, refuses_what_is_not_exactly_right) {
    const auto good = sign(secret, "1767261600", body);
    EXPECT_FALSE(verify_signature("other", good, "1767261600", body, now));
    EXPECT_FALSE(verify_signature(secret, good, "1767261600", std::string(body) + " ", now));
    EXPECT_FALSE(verify_signature(secret, good, "1767261601", body, now));
    EXPECT_FALSE(verify_signature(secret, "", "1767261600", body, now));
    EXPECT_FALSE(verify_signature(secret, good, "", body, now));
    EXPECT_FALSE(verify_signature(secret, good.substr(0, good.size() - 1), "1767261600", body, now)
    );
    EXPECT_FALSE(verify_signature("", sign("", "1767261600", body), "1767261600", body, now));
    EXPECT_FALSE(verify_signature(secret, sign(secret, "-5", body), "-5", body, now));
    EXPECT_FALSE(verify_signature(secret, sign(secret, "17672616x0", body), "17672616x0", body, now)
    );
}

TEST(webhook_signature, timestamps_within_300_seconds_either_way) {
    for (const auto* ts : {"1767261300", "1767261900", "1767261600000"}) {
        EXPECT_TRUE(verify_signature(secret, sign(secret, ts, body), ts, body, now)) << ts;
    }
    for (const auto* ts : {"1767261299", "1767261901"}) {
        EXPECT_FALSE(verify_signature(secret, sign(secret, ts, body), ts, body, now)) << ts;
    }
}

TEST(webhook_signature, url_validation_token_is_hex_hmac_of_the_plain_token) {
    // printf qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac zoom-secret
    EXPECT_EQ(
        url_validation_token(secret, "qgg8vlvZRS6UYooatFL8Aw"),
        "b17f0320a1322a509340a1a835b3d9edbc491f0b0790ed2d20d0604d39dfe922"
    );
}

}  // namespace
}  // namespace headcount::zoom
