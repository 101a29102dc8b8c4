#include "auth/authenticator.hpp"

#include <charconv>

namespace headcount::auth {
namespace {

api_error invalid_token() {
    return {errc::invalid_token, "Invalid or expired token", {}};
}

}  // namespace

outcome<user_id> authenticator::authenticate(std::string_view header, timestamp now) const {
    if (header.empty())
        return api_error{errc::missing_token, "No token provided", {}};
    constexpr std::string_view prefix = "Bearer ";
    if (!header.starts_with(prefix))
        return invalid_token();
    header.remove_prefix(prefix.size());
    while (!header.empty() && header.front() == ' ')
        header.remove_prefix(1);
    while (!header.empty() && header.back() == ' ')
        header.remove_suffix(1);
    return authenticate_token(header, now);
}

outcome<user_id> authenticator::authenticate_token(std::string_view token, timestamp now) const {
    if (token.empty())
        return api_error{errc::missing_token, "No token provided", {}};
    if (const auto id = remembered(token, now))
        return *id;
    auto verified = codec_.verify(token, now);
    if (!verified.token)
        return invalid_token();
    const auto& subject = verified.token->subject;
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(subject.data(), subject.data() + subject.size(), id);
    if (ec != std::errc{} || end != subject.data() + subject.size() || id <= 0) {
        return api_error{errc::user_not_found, "User not found", {}};
    }
    remember(token, {user_id{id}, verified.token->accepted_until});
    return user_id{id};
}

std::optional<user_id> authenticator::remembered(std::string_view token, timestamp now) const {
    const std::scoped_lock lock(mutex_);
    const auto it = accepted_.find(token);
    if (it == accepted_.end())
        return std::nullopt;
    if (now > it->second.until) {
        accepted_.erase(it);
        return std::nullopt;
    }
    return it->second.id;
}

void authenticator::remember(std::string_view token, const accepted& a) const {
    const std::scoped_lock lock(mutex_);
    if (accepted_.size() >= capacity)
        accepted_.clear();
    accepted_.insert_or_assign(std::string(token), a);
}

}  // namespace headcount::auth
