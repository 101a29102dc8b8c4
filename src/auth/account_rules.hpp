#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace headcount::auth {

/// What is wrong with a username (3-32 of [A-Za-z0-9._-]), or nullopt when it is fine.
std::optional<std::string> check_username(std::string_view username);
/// What is wrong with an email address (one `@`, a dot in the domain, no spaces, ≤ 254).
std::optional<std::string> check_email(std::string_view email);
/// What is wrong with a password (at least 8 characters), or nullopt.
std::optional<std::string> check_password(std::string_view password);

/// A login (username or email) as accounts are looked up by it: trimmed and ASCII
/// lower-cased, since usernames and emails compare case-insensitively.
std::string login_key(std::string_view login);

}  // namespace headcount::auth
