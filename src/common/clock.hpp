#pragma once

#include <atomic>
#include <chrono>

namespace headcount {

/// Wall-clock time at millisecond precision, as the API shows and storage keeps it.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t to_epoch_ms(timestamp t) {
    return t.time_since_epoch().count();
}
inline timestamp from_epoch_ms(std::int64_t ms) {
    return timestamp{std::chrono::milliseconds{ms}};
}

/// Source of "now", injected so that tests control time instead of sleeping.
/// Implementations are thread-safe.
class clock {
public:
    virtual ~clock() = default;
    virtual timestamp now() const = 0;
};

/// The system's real-time clock.
class system_clock final : public clock {
public:
    timestamp now() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now()
        );
    }
};

/// A clock that only moves when told to; for tests.
class manual_clock final : public clock {
public:
    explicit manual_clock(timestamp start) : now_ms_(to_epoch_ms(start)) {}
    timestamp now() const override { return from_epoch_ms(now_ms_.load()); }
    void set(timestamp t) { now_ms_ = to_epoch_ms(t); }
    void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

private:
    std::atomic<std::int64_t> now_ms_;
};

}  // namespace headcount
