#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>

#include "auth/user.hpp"
#include "common/clock.hpp"

namespace headcount::auth {

/// Users as loaded from storage, kept for a short time so that a request does not always
/// need a database read to know who is calling. The contract allows 5 s before a changed
/// role or a deleted user takes effect; entries live `ttl` (less than that), and a change
/// made through this instance evicts at once. Bounded: when full, it is emptied.
/// Thread-safe.
class user_cache {
public:
    user_cache(const clock& clk, std::chrono::milliseconds ttl, std::size_t capacity = 100000)
        : clock_(clk), ttl_(ttl), capacity_(capacity) {}

    std::optional<user> find(user_id id) const;
    void put(const user& u);
    void evict(user_id id);

private:
    struct entry {
        user value;
        timestamp expires;
    };
    const clock& clock_;
    std::chrono::milliseconds ttl_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<user_id, entry> entries_;
};

}  // namespace headcount::auth
