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
#include "http/raw_endpoint.hpp"
#include "http/router.hpp"

namespace headcount::http {

/// The listener and its limits.
struct server_settings {
    std::string host = "0.0.0.0";
    std::uint16_t port = 8080;
    std::chrono::milliseconds header_timeout{10000};
    std::chrono::milliseconds idle_timeout{60000};
    std::chrono::milliseconds body_timeout{30000};
    std::size_t body_limit = 1024 * 1024;  ///< of a route that names none
    bool trust_proxy = false;              ///< the client is X-Forwarded-For's first hop
};

/// Why the server answered a request without a route's handler.
enum class refusal {
    malformed,           ///< the request head could not be parsed
    too_large,           ///< the body is over the route's limit
    not_found,           ///< no route has the path
    method_not_allowed,  ///< routes have the path, none the method
};

/// The application's body for a refusal (its error format); `message` says what was refused.
using refusal_writer = std::function<response(refusal why, std::string message)>;

/// The HTTP/1.1 server: accepts on one port, runs one coroutine per connection on its own
/// strand, reads each request head within the header timeout and its body within the
/// body limit of its route, and keeps connections alive until they idle out. Requests
/// under a raw endpoint's prefix go to that endpoint with the connection.
class server {
public:
    server(
        boost::asio::io_context& ioc,
        server_settings settings,
        const router& routes,
        refusal_writer refusals,
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
    struct exchange;

    boost::asio::awaitable<void> serve(std::shared_ptr<connection> conn);
    boost::asio::awaitable<void> linger(connection& conn);
    /// Waits for the first bytes of the next request; false when the connection ended.
    boost::asio::awaitable<bool> await_request(connection& conn, bool first);
    /// Answers a request whose head could not be read (413 or 400), when it deserves one.
    boost::asio::awaitable<void> refuse_head(
        connection& conn, exchange& ex, boost::system::error_code read_error
    );
    /// Fills the request from its head: target, query, headers, client, matched route.
    void read_head(exchange& ex, const std::string& peer) const;
    /// The raw endpoint that takes a request no route has, if any.
    raw_endpoint* raw_endpoint_for(const exchange& ex) const;
    /// Reads the body within the route's limit; false when the connection failed.
    boost::asio::awaitable<bool> read_body(connection& conn, exchange& ex);
    /// The route's answer, or the server's own refusal.
    boost::asio::awaitable<response> answer(exchange& ex);
    /// Writes the reply and records it; false when the connection must close.
    boost::asio::awaitable<bool> reply(connection& conn, exchange& ex, const response& r);
    /// Closes the connections whose read or write is overdue, every `sweep_every_`.
    boost::asio::awaitable<void> sweep_loop();
    /// Counts an answered request in the metrics and writes its one `request` log line.
    void record(const request& req, unsigned status);

    boost::asio::io_context& ioc_;
    const server_settings settings_;
    const router& routes_;
    const refusal_writer refusals_;
    metrics& stats_;
    std::vector<raw_endpoint*> raw_endpoints_;
    boost::asio::ip::tcp::acceptor acceptor_;
    log::logger log_{"http"};
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> open_{0};
    std::atomic<std::uint64_t> next_request_{0};
    std::string id_prefix_;
    /// The largest body any route accepts: what a request head is read with.
    std::size_t largest_body_ = 0;
    /// A tenth of the shortest timeout, at most 100 ms: how late a timeout may close.
    std::chrono::milliseconds sweep_every_;
    std::mutex connections_mutex_;
    std::list<std::weak_ptr<connection>> connections_;
};

}  // namespace headcount::http
