#include "common/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace headcount {
namespace {

/// A token, give or take the rounding of refills summed over many updates: a client that waits
/// exactly the Retry-After it was given gets its token.
constexpr double one_token = 1 - 1e-9;

}  // namespace

rate_limiter::rate_limiter(double per_minute, double burst, std::size_t max_keys)
    : per_ms_(per_minute / 60000.0),
      burst_(burst),
      max_per_shard_(std::max<std::size_t>(1, max_keys / shard_count)) {}

std::size_t rate_limiter::size() const {
    std::size_t n = 0;
    for (const auto& s : shards_) {
        const std::scoped_lock lock(s.mutex);
        n += s.buckets.size();
    }
    return n;
}

rate_limiter::shard& rate_limiter::shard_of(std::string_view key) const {
    return shards_[std::hash<std::string_view>{}(key) % shard_count];
}

double rate_limiter::tokens_at(const bucket& b, clock_type::time_point now) const {
    const double elapsed = std::chrono::duration<double, std::milli>(now - b.at).count();
    return std::min(burst_, b.tokens + elapsed * per_ms_);
}

std::chrono::seconds rate_limiter::time_to_token(double tokens) const {
    return std::chrono::seconds{
        std::max(1LL, static_cast<long long>(std::ceil((one_token - tokens) / per_ms_ / 1000.0)))};
}

void rate_limiter::make_room(shard& s, clock_type::time_point now) {
    // A bucket that would be full again holds nothing worth remembering.
    std::erase_if(s.buckets, [&](const auto& entry) {
        return tokens_at(entry.second, now) >= burst_;
    });
    if (s.buckets.size() < max_per_shard_)
        return;
    // Still full of keys that are all being limited: forget the least recently seen half.
    std::vector<std::pair<clock_type::time_point, std::string>> by_age;
    by_age.reserve(s.buckets.size());
    for (const auto& [key, b] : s.buckets)
        by_age.emplace_back(b.at, key);
    const auto half = by_age.begin() + static_cast<std::ptrdiff_t>(by_age.size() / 2);
    std::nth_element(by_age.begin(), half, by_age.end());
    for (auto it = by_age.begin(); it != half; ++it)
        s.buckets.erase(it->second);
}

rate_limiter::wait_time rate_limiter::take(std::string_view key, clock_type::time_point now) {
    if (!enabled())
        return std::nullopt;
    auto& s = shard_of(key);
    const std::scoped_lock lock(s.mutex);
    auto it = s.buckets.find(std::string(key));
    if (it == s.buckets.end()) {
        if (s.buckets.size() >= max_per_shard_)
            make_room(s, now);
        it = s.buckets.emplace(std::string(key), bucket{burst_, now}).first;
    } else {
        it->second = {tokens_at(it->second, now), now};
    }
    auto& b = it->second;
    if (b.tokens >= one_token) {
        b.tokens -= 1;
        return std::nullopt;
    }
    return time_to_token(b.tokens);
}

rate_limiter::wait_time rate_limiter::wait(std::string_view key, clock_type::time_point now) const {
    if (!enabled())
        return std::nullopt;
    auto& s = shard_of(key);
    const std::scoped_lock lock(s.mutex);
    const auto it = s.buckets.find(std::string(key));
    if (it == s.buckets.end())
        return std::nullopt;
    const double tokens = tokens_at(it->second, now);
    if (tokens >= one_token)
        return std::nullopt;
    return time_to_token(tokens);
}

void rate_limiter::give_back(std::string_view key, clock_type::time_point now) {
    if (!enabled())
        return;
    auto& s = shard_of(key);
    const std::scoped_lock lock(s.mutex);
    const auto it = s.buckets.find(std::string(key));
    if (it != s.buckets.end())
        it->second = {std::min(burst_, tokens_at(it->second, now) + 1), now};
}

}  // namespace headcount
