// socketio-conformance: the realtime library configured as the official Engine.IO v4 and
// Socket.IO v5 protocol suites expect (docs/SOCKETIO.md section 2): the echo app at
// /engine.io/, the test app at /socket.io/, 300/200 ms heartbeats, no authentication, no
// connection state recovery. Runs until SIGINT/SIGTERM.
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/logging.hpp"
#include "common/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "realtime/conformance/apps.hpp"
#include "realtime/engineio/server.hpp"

namespace {

namespace net = boost::asio;
using namespace headcount;

/// The fixture has no routes: the HTTP server answers everything else itself, in plain text.
http::response plain_refusal(http::refusal why, std::string message) {
    http::response r;
    switch (why) {
        case http::refusal::malformed:
            r.status = 400;
            break;
        case http::refusal::too_large:
            r.status = 413;
            break;
        case http::refusal::not_found:
            r.status = 404;
            break;
        case http::refusal::method_not_allowed:
            r.status = 405;
            break;
    }
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(message);
    return r;
}

/// The echo app and the test app behind one HTTP server, as the suites expect them.
class fixture {
public:
    explicit fixture(http::server_settings settings)
        : engine_endpoint_(ioc_, "/engine.io/", heartbeat(), echo_, dropped_slow_),
          socket_endpoint_(ioc_, "/socket.io/", heartbeat(), io_, dropped_slow_),
          server_(ioc_, std::move(settings), routes_, plain_refusal, stats_) {
        realtime::conformance::mount_test_app(io_);
        server_.add_raw_endpoint(engine_endpoint_);
        server_.add_raw_endpoint(socket_endpoint_);
    }

    /// Serves on `threads` threads until SIGINT or SIGTERM; 1 when it cannot listen.
    int run(unsigned threads) {
        try {
            server_.listen();
        } catch (const std::exception& e) {
            log_.error("cannot listen", {{"error", e.what()}});
            return 1;
        }
        server_.start();
        log_.info("listening", {{"port", server_.port()}});
        signals_.async_wait([this](const boost::system::error_code& ec, int) {
            if (!ec)
                shut_down();
        });
        std::vector<std::thread> pool;
        for (unsigned i = 1; i < std::max(1U, threads); ++i)
            pool.emplace_back([this] { ioc_.run(); });
        ioc_.run();
        for (auto& t : pool)
            t.join();
        log_.info("stopped");
        return 0;
    }

private:
    static realtime::engineio::settings heartbeat() {
        realtime::engineio::settings s;
        s.ping_interval = std::chrono::milliseconds(300);
        s.ping_timeout = std::chrono::milliseconds(200);
        s.max_payload = 1000000;
        return s;
    }

    void shut_down() {
        server_.shutdown();
        engine_endpoint_.close_all(realtime::engineio::close_reason::server_shutdown);
        socket_endpoint_.close_all(realtime::engineio::close_reason::server_shutdown);
        // The cancelled connections end on their own: stopping at once would drop their
        // coroutines mid-flight (what LeakSanitizer then reports as leaks).
        grace_.expires_after(std::chrono::milliseconds(300));
        grace_.async_wait([this](const boost::system::error_code&) { ioc_.stop(); });
    }

    log::logger log_{"conformance"};
    net::io_context ioc_;
    realtime::conformance::echo_app echo_;
    realtime::socketio::server io_{{std::chrono::milliseconds(1000), std::chrono::seconds(0)}};
    std::atomic<std::uint64_t> dropped_slow_{0};
    realtime::engineio::server engine_endpoint_;
    realtime::engineio::server socket_endpoint_;
    metrics stats_;
    const http::router routes_;
    http::server server_;
    net::signal_set signals_{ioc_, SIGINT, SIGTERM};
    net::steady_timer grace_{ioc_};
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Socket.IO / Engine.IO protocol conformance fixture"};
    http::server_settings http_settings;
    http_settings.host = "127.0.0.1";
    http_settings.port = 3000;
    unsigned threads = 1;
    std::string log_level = "info";
    cli.add_option("--port", http_settings.port, "port to listen on (0: any free one)");
    cli.add_option("--host", http_settings.host, "address to listen on");
    cli.add_option("--threads", threads, "I/O threads");
    cli.add_option("--log-level", log_level, "debug, info, warn or error");
    CLI11_PARSE(cli, argc, argv);
    if (auto level = log::parse_level(log_level))
        log::set_level(*level);
    return fixture(http_settings).run(threads);
}
