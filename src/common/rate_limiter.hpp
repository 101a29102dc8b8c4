#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace headcount {

/// Token buckets by key (a client address, a user id, an account name): `burst` tokens at
/// once, refilled at `per_minute`. Memory is bounded: buckets that have refilled are dropped
/// when space runs short, and beyond `max_keys` the oldest are forgotten, so a flood of
/// distinct keys cannot exhaust memory. Thread-safe (sharded locks).
class rate_limiter {
public:
    using clock_type = std::chrono::steady_clock;
    using wait_time = std::optional<std::chrono::seconds>;

    static constexpr std::size_t default_max_keys = 200000;

    /// A `per_minute` or `burst` of 0 turns the limiter off: everything passes.
    rate_limiter(double per_minute, double burst, std::size_t max_keys = default_max_keys);

    /// Takes a token; nullopt when allowed, else the whole seconds (at least 1) until a token
    /// is back, the Retry-After value. A refused take costs nothing.
    wait_time take(std::string_view key, clock_type::time_point now = clock_type::now());
    /// What `take` would answer, without taking a token or remembering the key.
    wait_time wait(std::string_view key, clock_type::time_point now = clock_type::now()) const;
    /// Returns a token that `take` gave, up to the burst: what it was taken for did not count.
    /// A key forgotten in between has a full bucket anyway.
    void give_back(std::string_view key, clock_type::time_point now = clock_type::now());

    bool enabled() const { return per_ms_ > 0 && burst_ > 0; }
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

    shard& shard_of(std::string_view key) const;
    double tokens_at(const bucket& b, clock_type::time_point now) const;
    std::chrono::seconds time_to_token(double tokens) const;
    void make_room(shard& s, clock_type::time_point now);

    double per_ms_;
    double burst_;
    std::size_t max_per_shard_;
    mutable std::array<shard, shard_count> shards_;
};

}  // namespace headcount
