#include "test_control/clock_control.hpp"

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <boost/asio/use_awaitable.hpp>

#include "common/json.hpp"
#include "common/logging.hpp"
#include "common/time_format.hpp"
#include "common/timer.hpp"

namespace headcount::test_control {
namespace {

namespace net = boost::asio;

constexpr std::int64_t max_step_ms = 24LL * 60 * 60 * 1000;

/// The step a request body `{"ms": N}` asks for; nullopt unless N is an integer in range.
std::optional<std::chrono::milliseconds> step_of(std::string_view body) {
    const auto parsed = json::parse(body);
    const auto* ms =
        parsed && parsed->is_object() ? parsed->as_object().if_contains("ms") : nullptr;
    if (ms == nullptr)
        return std::nullopt;
    boost::system::error_code ec;
    const auto value = ms->to_number<std::int64_t>(ec);
    if (ec || value < 0 || value > max_step_ms)
        return std::nullopt;
    return std::chrono::milliseconds(value);
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
        {http::method::post, "/__test/clock/advance", 0,
         [&ioc](http::request& req) -> net::awaitable<http::response> {
             const auto step = step_of(req.body);
             if (!step) {
                 co_return http::json_response(
                     400, {{"success", false},
                           {"code", "validation_failed"},
                           {"message", "Validation failed"},
                           {"fields", {{"ms", "must be an integer from 0 to 86400000"}}}}
                 );
             }
             co_await clock_control::advance(ioc, *step);
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
