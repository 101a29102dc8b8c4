#include "test_control/clock_control.hpp"

#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include "common/timer.hpp"

namespace headcount::test_control {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

/// The loop runs on its own thread, blocked in the reactor, as in the server.
struct ClockControlTest : ::testing::Test {
    ClockControlTest() : loop([this] { ioc.run(); }) {}
    ~ClockControlTest() override {
        work.reset();
        ioc.stop();
        loop.join();
    }

    /// Resolves with whether a wait on `t` completed without error.
    template <class Timer>
    std::future<bool> waited(Timer& t) {
        auto done = std::make_shared<std::promise<bool>>();
        auto result = done->get_future();
        t.async_wait([done](const boost::system::error_code& ec) { done->set_value(!ec); });
        return result;
    }

    void advance(std::chrono::milliseconds by) {
        std::promise<void> done;
        net::co_spawn(ioc, clock_control::advance(ioc, by), [&](const std::exception_ptr&) {
            done.set_value();
        });
        ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
    }

    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
    std::thread loop;
};

TEST_F(ClockControlTest, TheTimersDueAfterAnAdvanceFireAtOnceAndNoOthers) {
    timer due(ioc, 1h);
    timer later(ioc, 3h);
    auto fired = waited(due);
    auto not_yet = waited(later);
    advance(1h);
    ASSERT_EQ(fired.wait_for(2s), std::future_status::ready);
    EXPECT_TRUE(fired.get());
    EXPECT_EQ(not_yet.wait_for(50ms), std::future_status::timeout);
    advance(2h);
    ASSERT_EQ(not_yet.wait_for(2s), std::future_status::ready);
    EXPECT_TRUE(not_yet.get());
}

// The reactor's wait was armed for the earliest timer before the advance; a timer due after it
// but now earlier than the new time still fires (the wake-up is earlier than both).
TEST_F(ClockControlTest, SeveralTimersDueAtOnceAllFire) {
    timer first(ioc, 10min);
    timer second(ioc, 20min);
    auto a = waited(first);
    auto b = waited(second);
    advance(30min);
    ASSERT_EQ(a.wait_for(2s), std::future_status::ready);
    ASSERT_EQ(b.wait_for(2s), std::future_status::ready);
}

TEST_F(ClockControlTest, TheShiftMovesBothClocksAndLeavesRealTimersAlone) {
    const auto steady_before = timer_clock::now();
    const auto system_before = system_clock{}.now();
    net::steady_timer real(ioc, 1h);
    auto real_fired = waited(real);
    advance(1h);
    EXPECT_GE(timer_clock::now() - steady_before, 1h);
    EXPECT_GE(system_clock{}.now() - system_before, 1h);
    EXPECT_EQ(real_fired.wait_for(50ms), std::future_status::timeout);
    real.cancel();
}

}  // namespace
}  // namespace headcount::test_control
