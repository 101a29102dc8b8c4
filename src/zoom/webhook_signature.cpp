#include "zoom/webhook_signature.hpp"

#include <charconv>
#include <cstdlib>

#include "common/crypto.hpp"

namespace headcount::zoom {
namespace {

constexpr std::int64_t max_skew_seconds = 300;
constexpr std::int64_t milliseconds_threshold = 100000000000;  // later than 5138 CE in seconds

}  // namespace

std::string sign(
    std::string_view secret, std::string_view request_timestamp, std::string_view raw_body
) {
    std::string message = "v0:";
    message.append(request_timestamp).append(":").append(raw_body);
    return "v0=" + crypto::to_hex(crypto::hmac_sha256(secret, message));
}

bool verify_signature(
    std::string_view secret,
    std::string_view signature,
    std::string_view request_timestamp,
    std::string_view raw_body,
    timestamp now
) {
    if (secret.empty() || signature.empty() || request_timestamp.empty() ||
        request_timestamp.size() > 16) {
        return false;
    }
    std::int64_t seconds = 0;
    const auto* end = request_timestamp.data() + request_timestamp.size();
    auto [stop, ec] = std::from_chars(request_timestamp.data(), end, seconds);
    if (ec != std::errc{} || stop != end || seconds < 0)
        return false;
    if (seconds > milliseconds_threshold)
        seconds /= 1000;
    if (std::llabs(to_epoch_ms(now) / 1000 - seconds) > max_skew_seconds)
        return false;
    return crypto::constant_time_equal(signature, sign(secret, request_timestamp, raw_body));
}

std::string url_validation_token(std::string_view secret, std::string_view plain_token) {
    return crypto::to_hex(crypto::hmac_sha256(secret, plain_token));
}

}  // namespace headcount::zoom
