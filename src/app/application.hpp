#pragma once

#include "config/settings.hpp"

namespace headcount::app {

/// Runs `serve` until SIGTERM/SIGINT: builds every part in dependency order, listens, and on
/// the signal stops accepting, lets requests in flight finish, closes sockets, flushes
/// storage and returns 0 (within 10 s). Returns 1 when start-up fails.
int serve(config::settings settings);

}  // namespace headcount::app
