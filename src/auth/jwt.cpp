#include "auth/jwt.hpp"

#include <charconv>
#include <cmath>

#include "common/crypto.hpp"
#include "common/json.hpp"

namespace headcount::auth {
namespace {

constexpr std::string_view header_hs256 = R"({"alg":"HS256","typ":"JWT"})";

std::string signature_of(std::string_view secret, std::string_view signing_input) {
    const auto digest = crypto::hmac_sha256(secret, signing_input);
    return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

/// A NumericDate claim in seconds, when present and numeric.
std::optional<double> numeric_claim(const boost::json::object& claims, std::string_view name) {
    const auto* v = claims.if_contains(name);
    if (v == nullptr || !v->is_number())
        return std::nullopt;
    const double d = v->to_number<double>();
    if (!std::isfinite(d))
        return std::nullopt;
    return d;
}

std::optional<std::string> subject_of(const boost::json::object& claims) {
    for (const auto* name : {"sub", "id", "userId"}) {
        const auto* v = claims.if_contains(name);
        if (v == nullptr || v->is_null())
            continue;
        if (v->is_string()) {
            if (v->get_string().empty())
                continue;
            return std::string(v->get_string());
        }
        if (v->is_int64())
            return std::to_string(v->get_int64());
        if (v->is_uint64())
            return std::to_string(v->get_uint64());
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::string jwt_codec::sign(const boost::json::object& claims) const {
    std::string token = crypto::base64url_encode(header_hs256);
    token.push_back('.');
    token.append(crypto::base64url_encode(json::to_string(claims)));
    const auto signature = signature_of(secret_, token);
    token.push_back('.');
    token.append(crypto::base64url_encode(signature));
    return token;
}

jwt_codec::verify_result jwt_codec::verify(std::string_view token, timestamp now) const {
    const auto first_dot = token.find('.');
    const auto second_dot =
        first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos ||
        token.find('.', second_dot + 1) != std::string_view::npos) {
        return {std::nullopt, jwt_error::malformed};
    }
    const auto header_text = crypto::base64url_decode(token.substr(0, first_dot));
    const auto payload_text =
        crypto::base64url_decode(token.substr(first_dot + 1, second_dot - first_dot - 1));
    const auto signature = crypto::base64url_decode(token.substr(second_dot + 1));
    if (!header_text || !payload_text || !signature)
        return {std::nullopt, jwt_error::malformed};

    const auto header = json::parse(*header_text);
    if (!header || !header->is_object())
        return {std::nullopt, jwt_error::malformed};
    const auto* alg = header->get_object().if_contains("alg");
    if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") {
        return {std::nullopt, jwt_error::unsupported_algorithm};
    }
    if (!crypto::constant_time_equal(
            *signature, signature_of(secret_, token.substr(0, second_dot))
        )) {
        return {std::nullopt, jwt_error::bad_signature};
    }

    auto payload = json::parse(*payload_text);
    if (!payload || !payload->is_object())
        return {std::nullopt, jwt_error::malformed};
    auto& claims = payload->get_object();
    const double now_s = static_cast<double>(to_epoch_ms(now)) / 1000.0;
    const auto exp = numeric_claim(claims, "exp");
    if (!exp)
        return {std::nullopt, jwt_error::missing_expiry};
    if (now_s > *exp + static_cast<double>(leeway.count()))
        return {std::nullopt, jwt_error::expired};
    if (const auto nbf = numeric_claim(claims, "nbf");
        nbf && now_s + static_cast<double>(leeway.count()) < *nbf) {
        return {std::nullopt, jwt_error::not_yet_valid};
    }
    auto subject = subject_of(claims);
    if (!subject)
        return {std::nullopt, jwt_error::missing_subject};
    // Far-future expiries are clamped rather than overflowing the millisecond count.
    const double last_ms = std::floor((*exp + static_cast<double>(leeway.count())) * 1000.0);
    const auto accepted_until =
        last_ms >= 9.0e15 ? timestamp::max() : from_epoch_ms(static_cast<std::int64_t>(last_ms));
    return {
        verified_token{std::move(*subject), std::move(claims), accepted_until},
        jwt_error::malformed};
}

}  // namespace headcount::auth
