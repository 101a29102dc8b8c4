#pragma once

#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace headcount::zoom {

/// Zoom's webhook signature: `x-zm-signature` = `v0=` + hex HMAC-SHA256(secret,
/// `v0:{x-zm-request-timestamp}:{raw body}`), compared in constant time, with the timestamp
/// (seconds; milliseconds are tolerated) at most 300 s from now, past or future. An empty
/// secret verifies nothing.
bool verify_signature(
    std::string_view secret,
    std::string_view signature,
    std::string_view request_timestamp,
    std::string_view raw_body,
    timestamp now
);

/// The `encryptedToken` of `endpoint.url_validation`: hex HMAC-SHA256(secret, plainToken).
std::string url_validation_token(std::string_view secret, std::string_view plain_token);

/// What a test or a client signs with: the header value for a body at a timestamp.
std::string sign(
    std::string_view secret, std::string_view request_timestamp, std::string_view raw_body
);

}  // namespace headcount::zoom
