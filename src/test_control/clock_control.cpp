#include "test_control/clock_control.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <boost/asio/use_awaitable.hpp>

#include "common/logging.hpp"
#include "common/time_format.hpp"
#include "common/timer.hpp"
#include "http/json_input.hpp"

namespace headcount::test_control {
namespace {

namespace net = boost::asio;

constexpr std::int64_t max_step_ms = 24LL * 60 * 60 * 1000;

std::chrono::milliseconds step_of(const boost::json::value& body) {
    http::json_input in(body);
    std::int64_t ms = -1;
    if (const auto* member = in.member("ms")) {
        boost::system::error_code ec;
        ms = member->to_number<std::int64_t>(ec);
        if (ec)
            ms = -1;
    }
    if (ms < 0 || ms > max_step_ms)
        in.fail("ms", "must be an integer from 0 to 86400000");
    in.check();
    return std::chrono::milliseconds(ms);
}

}  // namespace

net::awaitable<void> clock_control::advance(net::io_context& ioc, std::chrono::milliseconds by) {
    time_shift::advance(by);
    // Asio arms its reactor (a timerfd on Linux) for a relative wait computed when the earliest
    // timer was scheduled, and recomputes it only when a newly scheduled timer becomes the
    // earliest of its queue. A timer at the clock's epoch is earlier than any real deadline:
    // it makes the reactor wake now and take off every timer_clock timer due at the new time.
    timer wake(ioc);
    wake.expires_at(timer_clock::time_point{});
    co_await wake.async_wait(net::use_awaitable);
}

void mount_clock_control(http::router& routes, net::io_context& ioc) {
    const char* setting = std::getenv("HEADCOUNT_TEST_CLOCK");
    const std::string_view value = setting != nullptr ? setting : "";
    if (value.empty() || value == "0")
        return;
    if (value != "1")
        throw std::invalid_argument("HEADCOUNT_TEST_CLOCK must be 0 or 1");
    log::logger("test_control")
        .warn("test clock control enabled: POST /__test/clock/advance moves time");
    routes.add(
        {http::method::post, "/__test/clock/advance", http::access::anyone, http::body_kind::json,
         http::rate_bucket::none,
         [&ioc](http::request_context& ctx) -> net::awaitable<http::response> {
             const auto step = step_of(ctx.json);
             co_await clock_control::advance(ioc, step);
             co_return http::success(
                 {{"now", format_iso(system_clock{}.now())},
                  {"shiftMs",
                   std::chrono::duration_cast<std::chrono::milliseconds>(time_shift::current())
                       .count()}}
             );
         }}
    );
}

}  // namespace headcount::test_control
