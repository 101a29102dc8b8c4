#pragma once

#include <boost/asio/basic_waitable_timer.hpp>

#include "common/clock.hpp"

namespace headcount {

/// An Asio timer on timer_clock: every timer whose expiry a test may advance to is one of
/// these. All of them share one timer queue per io_context, which the test control wakes.
using timer = boost::asio::basic_waitable_timer<timer_clock>;

}  // namespace headcount
