#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "common/logging.hpp"
#include "common/timer.hpp"
#include "sessions/session_service.hpp"
#include "store/database.hpp"

namespace headcount::app {

/// Runs the session expiry pass every CLEANUP_INTERVAL seconds. The pass itself runs as a
/// storage write job, so request handling never waits for it; with several instances on one
/// database the pass claim lets only one of them run it per interval.
class expiry_task {
public:
    expiry_task(
        boost::asio::io_context& ioc, store::database& db, const sessions::session_service& service
    );

    void start();
    void stop();

private:
    boost::asio::awaitable<void> loop();

    store::database& db_;
    const sessions::session_service& service_;
    timer timer_;
    log::logger log_{"sessions"};
    bool stopped_ = false;
};

}  // namespace headcount::app
