#include "app/expiry_task.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "store/awaitable.hpp"

namespace headcount::app {

namespace net = boost::asio;

expiry_task::expiry_task(
    net::io_context& ioc, store::database& db, const sessions::session_service& service
)
    : db_(db), service_(service), timer_(ioc) {}

void expiry_task::start() {
    if (service_.settings().cleanup_interval.count() <= 0) {
        log_.info("session expiry disabled (CLEANUP_INTERVAL=0)");
        return;
    }
    net::co_spawn(timer_.get_executor(), loop(), net::detached);
}

void expiry_task::stop() {
    net::post(timer_.get_executor(), [this] {
        stopped_ = true;
        timer_.cancel();
    });
}

net::awaitable<void> expiry_task::loop() {
    const auto interval = service_.settings().cleanup_interval;
    log_.info(
        "session expiry running",
        {{"intervalSeconds", interval.count()},
         {"sessionTimeoutSeconds", service_.settings().session_timeout.count()}}
    );
    while (!stopped_) {
        timer_.expires_after(interval);
        auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
        if (ec || stopped_)
            break;
        try {
            const auto expired = co_await store::write(db_, [this](store::unit& u) {
                return service_.expire_idle(u.sessions(), u.outbox());
            });
            if (!expired) {
                log_.debug("expiry pass skipped: another instance ran it");
            } else if (*expired > 0) {
                log_.info("expired idle sessions", {{"count", *expired}});
            } else {
                log_.debug("expiry pass found no idle sessions");
            }
        } catch (const std::exception& e) {
            log_.error("expiry pass failed", {{"error", e.what()}});
        }
    }
}

}  // namespace headcount::app
