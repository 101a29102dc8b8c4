#pragma once

#include <functional>

#include <boost/asio/io_context.hpp>

#include "config/settings.hpp"
#include "http/router.hpp"

namespace headcount::app {

/// Routes a build adds to the product's: the test executable's test control. Called once at
/// start-up with the route table and the io_context that runs every timer; may throw to
/// refuse the start.
using extra_routes = std::function<void(http::router&, boost::asio::io_context&)>;

/// Runs `serve` until SIGTERM/SIGINT: builds every part in dependency order, listens, and on
/// the signal stops accepting, lets requests in flight finish, closes sockets, flushes
/// storage and returns 0 (within 10 s). Returns 1 when start-up fails.
int serve(config::settings settings, const extra_routes& extra = {});

}  // namespace headcount::app
