#include "common/crypto.hpp"

#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace headcount::crypto {
namespace {

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

/// A thread's HMAC-SHA256 context, set up once: OpenSSL 3's one-shot HMAC() looks the
/// algorithm up on every call, which costs more than the MAC of a token.
class hmac_context {
public:
    hmac_context() {
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
        ctx_ = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
        EVP_MAC_free(mac);  // the context keeps its own reference
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (ctx_ == nullptr || EVP_MAC_CTX_set_params(ctx_, params) != 1)
            throw std::runtime_error("HMAC-SHA256 is not available");
    }
    ~hmac_context() { EVP_MAC_CTX_free(ctx_); }
    hmac_context(const hmac_context&) = delete;
    hmac_context& operator=(const hmac_context&) = delete;

    sha256_digest sign(std::string_view key, std::string_view message) {
        // A null key would mean "the previous key": an empty one is passed as a real pointer.
        static constexpr unsigned char no_key[1] = {0};
        const auto* key_bytes = key.empty() ? no_key : bytes_of(key);
        sha256_digest out{};
        std::size_t length = 0;
        if (EVP_MAC_init(ctx_, key_bytes, key.size(), nullptr) != 1 ||
            EVP_MAC_update(ctx_, bytes_of(message), message.size()) != 1 ||
            EVP_MAC_final(ctx_, out.data(), &length, out.size()) != 1 || length != out.size()) {
            throw std::runtime_error("HMAC-SHA256 failed");
        }
        return out;
    }

private:
    EVP_MAC_CTX* ctx_ = nullptr;
};

}  // namespace

sha256_digest hmac_sha256(std::string_view key, std::string_view message) {
    thread_local hmac_context context;
    return context.sign(key, message);
}

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

std::string to_hex(const sha256_digest& digest) {
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
        static_cast<int>(bytes.size())
    );
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0)
        return std::nullopt;
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
        if (!ok)
            return std::nullopt;
    }
    std::string out(3 * text.size() / 4, '\0');
    const int n = EVP_DecodeBlock(
        reinterpret_cast<unsigned char*>(out.data()), bytes_of(text), static_cast<int>(text.size())
    );
    if (n < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts padding as zero bytes; take them off again.
    std::size_t size = static_cast<std::size_t>(n);
    if (text.ends_with("==")) {
        size -= 2;
    } else if (text.ends_with("=")) {
        size -= 1;
    }
    out.resize(size);
    return out;
}

std::string base64url_encode(std::string_view bytes) {
    auto out = base64_encode(bytes);
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (auto& c : out) {
        if (c == '+')
            c = '-';
        if (c == '/')
            c = '_';
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    std::string standard(text);
    for (auto& c : standard) {
        if (c == '-') {
            c = '+';
        } else if (c == '_') {
            c = '/';
        } else if (c == '+' || c == '/' || c == '=') {
            return std::nullopt;
        }
    }
    if (standard.size() % 4 == 1)
        return std::nullopt;
    while (standard.size() % 4 != 0)
        standard.push_back('=');
    return base64_decode(standard);
}

std::string random_bytes(std::size_t count) {
    std::string out(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

}  // namespace headcount::crypto
