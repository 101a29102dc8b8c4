#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace headcount::crypto {

using sha256_digest = std::array<unsigned char, 32>;

/// HMAC-SHA256 through OpenSSL.
sha256_digest hmac_sha256(std::string_view key, std::string_view message);
/// Lower-case hex of bytes.
std::string to_hex(std::string_view bytes);
std::string to_hex(const sha256_digest& digest);

/// Compares in time that depends only on the lengths, not on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

/// Standard base64 with padding (RFC 4648 section 4).
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);
/// URL-safe base64 without padding (RFC 4648 section 5), as JWTs use.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

/// `count` bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t count);

}  // namespace headcount::crypto
