#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace headcount {

namespace test_control {
class clock_control;
}

/// How far every clock of the process (system_clock, timer_clock) runs ahead of real time.
/// Zero, except in the test executable, whose test control moves it forward so that tests
/// advance time instead of sleeping. Reading it is one relaxed atomic load.
class time_shift {
public:
    static std::chrono::nanoseconds current() noexcept {
        return std::chrono::nanoseconds{shift_ns_.load(std::memory_order_relaxed)};
    }

private:
    friend class test_control::clock_control;
    /// Only the test control moves time, and only forward.
    static void advance(std::chrono::nanoseconds by) noexcept {
        shift_ns_.fetch_add(by.count(), std::memory_order_relaxed);
    }

    static inline std::atomic<std::int64_t> shift_ns_{0};
};

/// The steady clock of every deadline and timer of the process (the HTTP timeouts, the
/// Engine.IO heartbeats, the session expiry): std::chrono::steady_clock plus time_shift. It
/// meets the Clock requirements, so Asio runs timers on it (common/timer.hpp). Its own
/// time_point type keeps its readings from being mixed with std::chrono::steady_clock's.
struct timer_clock {
    using duration = std::chrono::steady_clock::duration;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<timer_clock>;
    static constexpr bool is_steady = true;

    static time_point now() noexcept {
        return time_point{
            std::chrono::steady_clock::now().time_since_epoch() +
            std::chrono::duration_cast<duration>(time_shift::current())};
    }
};

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

/// The system's real-time clock, plus time_shift.
class system_clock final : public clock {
public:
    timestamp now() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now() + time_shift::current()
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
