#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace headcount::api {

rate_limiter::rate_limiter(config::rate_limit limit, std::size_t max_keys)
    : limit_(limit),
      per_ms_(limit.per_minute / 60000.0),
      max_per_shard_(std::max<std::size_t>(1, max_keys / shard_count)) {}

std::size_t rate_limiter::size() const {
    std::size_t n = 0;
    for (const auto& s : shards_) {
        const std::scoped_lock lock(s.mutex);
        n += s.buckets.size();
    }
    return n;
}

void rate_limiter::make_room(shard& s, clock_type::time_point now) {
    // A bucket that would be full again holds nothing worth remembering.
    std::erase_if(s.buckets, [&](const auto& entry) {
        const auto& b = entry.second;
        const double elapsed = std::chrono::duration<double, std::milli>(now - b.at).count();
        return b.tokens + elapsed * per_ms_ >= limit_.burst;
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

std::optional<long long> rate_limiter::take(std::string_view key, clock_type::time_point now) {
    if (!enabled())
        return std::nullopt;
    auto& s = shards_[std::hash<std::string_view>{}(key) % shard_count];
    const std::scoped_lock lock(s.mutex);
    auto it = s.buckets.find(std::string(key));
    if (it == s.buckets.end()) {
        if (s.buckets.size() >= max_per_shard_)
            make_room(s, now);
        it = s.buckets.emplace(std::string(key), bucket{limit_.burst, now}).first;
    } else {
        auto& b = it->second;
        const double elapsed = std::chrono::duration<double, std::milli>(now - b.at).count();
        b.tokens = std::min(limit_.burst, b.tokens + elapsed * per_ms_);
        b.at = now;
    }
    auto& b = it->second;
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return std::nullopt;
    }
    return std::max(1LL, static_cast<long long>(std::ceil((1 - b.tokens) / per_ms_ / 1000.0)));
}

}  // namespace headcount::api
