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
    const log::logger log("conformance");

    realtime::engineio::settings heartbeat;
    heartbeat.ping_interval = std::chrono::milliseconds(300);
    heartbeat.ping_timeout = std::chrono::milliseconds(200);
    heartbeat.max_payload = 1000000;

    net::io_context ioc;
    realtime::conformance::echo_app echo;
    realtime::socketio::server io({std::chrono::milliseconds(1000), std::chrono::seconds(0)});
    realtime::conformance::mount_test_app(io);
    std::atomic<std::uint64_t> dropped_slow{0};
    realtime::engineio::server engine_endpoint(ioc, "/engine.io/", heartbeat, echo, dropped_slow);
    realtime::engineio::server socket_endpoint(ioc, "/socket.io/", heartbeat, io, dropped_slow);

    metrics stats;
    const http::router routes;
    http::server server(ioc, http_settings, routes, plain_refusal, stats);
    server.add_raw_endpoint(engine_endpoint);
    server.add_raw_endpoint(socket_endpoint);
    try {
        server.listen();
    } catch (const std::exception& e) {
        log.error("cannot listen", {{"error", e.what()}});
        return 1;
    }
    server.start();
    log.info("listening", {{"host", http_settings.host}, {"port", server.port()}});

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer grace(ioc);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec)
            return;
        server.shutdown();
        engine_endpoint.close_all(realtime::engineio::close_reason::server_shutdown);
        socket_endpoint.close_all(realtime::engineio::close_reason::server_shutdown);
        // The cancelled connections end on their own: stopping at once would drop their
        // coroutines mid-flight (what LeakSanitizer then reports as leaks).
        grace.expires_after(std::chrono::milliseconds(300));
        grace.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
    });
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < std::max(1U, threads); ++i)
        pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool)
        t.join();
    log.info("stopped");
    return 0;
}
