#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/logging.hpp"
#include "common/metrics.hpp"
#include "config/settings.hpp"
#include "http/raw_endpoint.hpp"
#include "http/router.hpp"

namespace headcount::http {

/// The HTTP/1.1 server: accepts on one port, runs one coroutine per connection on its own
/// strand, reads each request head within the header timeout and its body within the
/// body limit of its route, and keeps connections alive until they idle out. Requests
/// under a raw endpoint's prefix go to that endpoint with the connection.
class server {
public:
    server(
        boost::asio::io_context& ioc,
        const config::http_settings& settings,
        const router& routes,
        const route_runner& steps,
        metrics& stats
    );
    ~server();

    /// Binds and listens; throws when the address cannot be used.
    void listen();
    std::uint16_t port() const;
    void add_raw_endpoint(raw_endpoint& endpoint) { raw_endpoints_.push_back(&endpoint); }
    /// Starts accepting.
    void start();
    /// Stops accepting and closes idle connections; requests in flight finish and their
    /// connections close after the response. Thread-safe.
    void shutdown();
    /// Open connections (WebSockets included).
    std::size_t open_connections() const { return open_.load(); }

private:
    struct connection;

    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(std::shared_ptr<connection> conn);
    /// Closes the connections whose read or write is overdue, every `sweep_every_`.
    boost::asio::awaitable<void> sweep_loop();
    /// Counts an answered request in the metrics and writes its one `request` log line.
    void record(const request_context& ctx, unsigned status);

    boost::asio::io_context& ioc_;
    const config::http_settings& settings_;
    const router& routes_;
    const route_runner& steps_;
    metrics& stats_;
    std::vector<raw_endpoint*> raw_endpoints_;
    boost::asio::ip::tcp::acceptor acceptor_;
    log::logger log_{"http"};
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> open_{0};
    std::atomic<std::uint64_t> next_request_{0};
    std::string id_prefix_;
    /// A tenth of the shortest timeout, at most 100 ms: how late a timeout may close.
    std::chrono::milliseconds sweep_every_;
    std::mutex connections_mutex_;
    std::list<std::weak_ptr<connection>> connections_;
};

}  // namespace headcount::http
