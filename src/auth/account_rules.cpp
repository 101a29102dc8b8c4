#include "auth/account_rules.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace headcount::auth {

std::optional<std::string> check_username(std::string_view username) {
    const bool ok = username.size() >= 3 && username.size() <= 32 &&
                    std::all_of(username.begin(), username.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                    });
    if (ok)
        return std::nullopt;
    return "must be 3-32 characters of letters, digits, \".\", \"_\" or \"-\"";
}

std::optional<std::string> check_email(std::string_view email) {
    const auto at = email.find('@');
    const auto invalid = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' ||
               static_cast<unsigned char>(c) < 0x20;
    };
    const bool ok = email.size() <= 254 && at != std::string_view::npos && at > 0 &&
                    email.find('@', at + 1) == std::string_view::npos &&
                    std::none_of(email.begin(), email.end(), invalid) && [&] {
                        const auto domain = email.substr(at + 1);
                        const auto dot = domain.rfind('.');
                        return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
                    }();
    if (ok)
        return std::nullopt;
    return "must be a valid email address";
}

std::optional<std::string> check_password(std::string_view password) {
    if (password.size() >= 8)
        return std::nullopt;
    return "must be at least 8 characters";
}

std::string login_key(std::string_view login) {
    return text::ascii_lower(text::trim(login));
}

}  // namespace headcount::auth
