#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config/settings.hpp"

namespace headcount::api {

/// Token buckets by key (a client address or a user id): `burst` requests at once,
/// refilled at `per_minute`. Memory is bounded: buckets that have refilled are dropped
/// when space runs short, and beyond `max_keys` the oldest are forgotten, so a flood of
/// distinct addresses cannot exhaust memory. Thread-safe (sharded locks).
class rate_limiter {
public:
    using clock_type = std::chrono::steady_clock;

    explicit rate_limiter(config::rate_limit limit, std::size_t max_keys = 200000);

    /// Takes a token; nullopt when allowed, else the seconds to wait (the Retry-After value).
    std::optional<long long> take(
        std::string_view key, clock_type::time_point now = clock_type::now()
    );

    bool enabled() const { return limit_.enabled(); }
    std::size_t size() const;

private:
    struct bucket {
        double tokens = 0;
        clock_type::time_point at;
    };
    struct shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, bucket> buckets;
    };
    static constexpr std::size_t shard_count = 16;

    void make_room(shard& s, clock_type::time_point now);

    config::rate_limit limit_;
    double per_ms_;
    std::size_t max_per_shard_;
    std::array<shard, shard_count> shards_;
};

}  // namespace headcount::api
