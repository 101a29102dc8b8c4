#pragma once

#include <chrono>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "http/router.hpp"

namespace headcount::test_control {

/// Moves the process's clocks (time_shift) forward for tests. Part of the test executable
/// only (build/headcount-testable); the shipped binary cannot move time.
class clock_control {
public:
    /// Moves every clock forward by `by`, then wakes the timers on `ioc` that are now due.
    /// Completes once Asio has taken all of them off its timer queue, so their handlers are
    /// queued (not necessarily run) by then.
    static boost::asio::awaitable<void> advance(
        boost::asio::io_context& ioc, std::chrono::milliseconds by
    );
};

/// With HEADCOUNT_TEST_CLOCK=1, adds `POST /__test/clock/advance {"ms": N}` (0 ≤ N ≤ one
/// day), which advances the clocks and answers the new time; unset or 0 adds nothing; any
/// other value throws, which refuses the start. An app::extra_routes.
void mount_clock_control(http::router& routes, boost::asio::io_context& ioc);

}  // namespace headcount::test_control
