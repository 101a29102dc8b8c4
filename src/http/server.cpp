#include "http/server.hpp"

#include <algorithm>
#include <limits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include "common/crypto.hpp"
#include "common/timer.hpp"
#include "http/error_reply.hpp"
#include "http/wire_response.hpp"

namespace headcount::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

method method_of(bhttp::verb v) {
    switch (v) {
        case bhttp::verb::get:
            return method::get;
        case bhttp::verb::head:
            return method::head;
        case bhttp::verb::post:
            return method::post;
        case bhttp::verb::put:
            return method::put;
        case bhttp::verb::patch:
            return method::patch;
        case bhttp::verb::delete_:
            return method::del;
        case bhttp::verb::options:
            return method::options;
        default:
            return method::other;
    }
}

/// The client's address: the socket peer, or with TRUST_PROXY=1 the first X-Forwarded-For hop.
std::string client_address(const std::string& peer, std::string_view forwarded, bool trust_proxy) {
    if (!trust_proxy || forwarded.empty())
        return peer;
    auto first = forwarded.substr(0, forwarded.find(','));
    while (!first.empty() && first.front() == ' ')
        first.remove_prefix(1);
    while (!first.empty() && first.back() == ' ')
        first.remove_suffix(1);
    return first.empty() ? peer : std::string(first);
}

std::string allow_header(const std::vector<method>& allowed) {
    std::string out;
    for (const auto m : allowed) {
        if (!out.empty())
            out.append(", ");
        out.append(to_string(m));
        if (m == method::get)
            out.append(", HEAD");
    }
    return out;
}

}  // namespace

struct server::connection {
    using clock = timer_clock;
    static constexpr clock::rep no_deadline = std::numeric_limits<clock::rep>::max();

    explicit connection(tcp::socket s) : stream(std::move(s)) {}
    void expire_after(std::chrono::milliseconds limit) {
        deadline.store(
            (clock::now() + limit).time_since_epoch().count(), std::memory_order_relaxed
        );
    }
    void expire_never() { deadline.store(no_deadline, std::memory_order_relaxed); }

    beast::tcp_stream stream;
    std::atomic<bool> busy{false};
    /// When the sweep closes the connection (its read or write is overdue). None while a
    /// handler runs, or while a raw endpoint, which keeps its own time, has the connection.
    std::atomic<clock::rep> deadline{no_deadline};
};

server::server(
    net::io_context& ioc,
    const config::http_settings& settings,
    const router& routes,
    const route_runner& steps,
    metrics& stats
)
    : ioc_(ioc),
      settings_(settings),
      routes_(routes),
      steps_(steps),
      stats_(stats),
      acceptor_(net::make_strand(ioc)),
      id_prefix_(crypto::to_hex(crypto::random_bytes(4)) + "-"),
      sweep_every_(std::clamp(
          std::min({settings.header_timeout, settings.idle_timeout, settings.body_timeout}) / 10,
          std::chrono::milliseconds(1),
          std::chrono::milliseconds(100)
      )) {}

server::~server() = default;

void server::listen() {
    const tcp::endpoint endpoint(net::ip::make_address(settings_.host), settings_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

std::uint16_t server::port() const {
    return acceptor_.local_endpoint().port();
}

void server::start() {
    net::co_spawn(acceptor_.get_executor(), accept_loop(), net::detached);
    net::co_spawn(acceptor_.get_executor(), sweep_loop(), net::detached);
}

void server::shutdown() {
    if (stopping_.exchange(true))
        return;
    net::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
    });
    const std::scoped_lock lock(connections_mutex_);
    for (auto& weak : connections_) {
        if (auto conn = weak.lock()) {
            net::post(conn->stream.get_executor(), [conn] {
                if (!conn->busy)
                    conn->stream.cancel();
            });
        }
    }
}

net::awaitable<void> server::accept_loop() {
    net::steady_timer backoff(acceptor_.get_executor());
    while (!stopping_) {
        auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(ioc_), use_tuple);
        if (ec) {
            if (stopping_ || ec == net::error::operation_aborted)
                break;
            // Out of descriptors or similar: wait a little instead of spinning.
            log_.warn("accept failed", {{"error", ec.message()}});
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(use_tuple);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto conn = std::make_shared<connection>(std::move(socket));
        {
            const std::scoped_lock lock(connections_mutex_);
            std::erase_if(connections_, [](const auto& w) { return w.expired(); });
            connections_.push_back(conn);
        }
        ++open_;
        net::co_spawn(conn->stream.get_executor(), serve(conn), net::detached);
    }
}

// One timer for all connections instead of one armed and cancelled around every read and
// write (beast's tcp_stream expiry): those were ~5% of an I/O thread's time per request.
net::awaitable<void> server::sweep_loop() {
    timer tick(acceptor_.get_executor());
    while (!stopping_) {
        tick.expires_after(sweep_every_);
        co_await tick.async_wait(use_tuple);
        const auto now = connection::clock::now().time_since_epoch().count();
        const std::scoped_lock lock(connections_mutex_);
        for (auto& weak : connections_) {
            auto conn = weak.lock();
            if (!conn || conn->deadline.load(std::memory_order_relaxed) > now)
                continue;
            net::post(conn->stream.get_executor(), [conn, now] {
                if (conn->deadline.load(std::memory_order_relaxed) > now)
                    return;  // it has moved on to its next read or write meanwhile
                conn->expire_never();
                boost::system::error_code ignored;
                conn->stream.socket().close(ignored);
            });
        }
    }
}

net::awaitable<void> server::serve(std::shared_ptr<connection> conn) {
    auto& stream = conn->stream;
    std::string peer;
    {
        boost::system::error_code ec;
        const auto remote = stream.socket().remote_endpoint(ec);
        if (!ec)
            peer = remote.address().to_string();
    }
    beast::flat_buffer buffer;
    bool first = true;
    try {
        while (!stopping_) {
            // Waiting for the next request on an open connection is the idle timeout; the
            // header timeout runs from the first byte (from the accept on a new connection).
            conn->busy = false;
            if (buffer.size() == 0) {
                conn->expire_after(first ? settings_.header_timeout : settings_.idle_timeout);
                auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
                if (ec)
                    break;
                buffer.commit(n);
            }
            conn->busy = true;
            const auto started = std::chrono::steady_clock::now();
            if (!first)
                conn->expire_after(settings_.header_timeout);
            first = false;

            raw_endpoint::parser_type parser;
            parser.header_limit(header_limit);
            parser.body_limit(std::max(settings_.body_limit, settings_.csv_body_limit));
            auto [read_ec, read_n] =
                co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
            if (read_ec) {
                if (read_ec == bhttp::error::header_limit || read_ec == bhttp::error::bad_target ||
                    read_ec == bhttp::error::bad_method || read_ec == bhttp::error::bad_version ||
                    read_ec == bhttp::error::bad_field || read_ec == bhttp::error::bad_value ||
                    read_ec == bhttp::error::bad_line_ending ||
                    read_ec == bhttp::error::body_limit) {
                    const bool too_large = read_ec == bhttp::error::body_limit;
                    auto reply = error_reply(
                        too_large
                            ? api_error{errc::payload_too_large, "Request body is too large", {}}
                            : api_error{errc::validation_failed, "Malformed HTTP request", {}}
                    );
                    // Whatever of the head was parsed, so the refusal is logged like any request.
                    request_context ctx;
                    ctx.started = started;
                    ctx.verb = method_of(parser.get().method());
                    const auto target = parser.get().target();
                    ctx.path = std::string(target.substr(0, target.find('?')));
                    ctx.route = "unmatched";
                    ctx.request_id = id_prefix_ + std::to_string(++next_request_);
                    bhttp::response<bhttp::string_body> res{
                        static_cast<bhttp::status>(reply.status), 11};
                    res.set(bhttp::field::content_type, reply.content_type);
                    res.set("X-Request-Id", ctx.request_id);
                    res.body() = std::move(reply.body);
                    res.keep_alive(false);
                    res.prepare_payload();
                    conn->expire_after(settings_.body_timeout);
                    co_await bhttp::async_write(stream, res, use_tuple);
                    record(ctx, reply.status);
                }
                break;
            }

            auto& head = parser.get();
            request_context ctx;
            ctx.started = started;
            ctx.verb = method_of(head.method());
            ctx.target = std::string(head.target());
            ctx.request_id = id_prefix_ + std::to_string(++next_request_);
            const auto url = boost::urls::parse_origin_form(ctx.target);
            if (url) {
                ctx.path = url->path();
                for (const auto& param : url->params())
                    ctx.query.emplace_back(param.key, param.value);
            } else {
                ctx.path = ctx.target.substr(0, ctx.target.find('?'));
            }

            // A path of the route table beats a raw endpoint's prefix: the socket.io client
            // bundle is a file under `/socket.io/`, the rest of which is Engine.IO.
            auto match = url ? routes_.find(ctx.verb, ctx.path) : router::match{};
            raw_endpoint* raw = nullptr;
            if (match.found == nullptr && match.allowed.empty()) {
                for (auto* endpoint : raw_endpoints_) {
                    if (endpoint->handles(ctx.path))
                        raw = endpoint;
                }
            }
            if (raw != nullptr) {
                conn->expire_never();
                const bool keep = co_await raw->serve(
                    stream, buffer, parser,
                    client_address(peer, head["X-Forwarded-For"], settings_.trust_proxy)
                );
                if (!keep)
                    break;
                stream.expires_never();  // the endpoint's own limit on its last write
                continue;
            }

            ctx.headers.reserve(16);
            for (const auto& field : head) {
                std::string name(field.name_string());
                for (auto& c : name)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                ctx.headers.emplace_back(std::move(name), std::string(field.value()));
            }
            ctx.remote_address =
                client_address(peer, ctx.header("x-forwarded-for"), settings_.trust_proxy);

            const std::size_t limit = match.found != nullptr && match.found->body == body_kind::csv
                                          ? settings_.csv_body_limit
                                          : settings_.body_limit;
            response reply;
            bool body_ok = true;
            if (head.has_content_length() && parser.content_length() &&
                *parser.content_length() > limit) {
                body_ok = false;
            } else if (!parser.is_done()) {
                if (head[bhttp::field::expect] == "100-continue") {
                    static constexpr std::string_view continue_line =
                        "HTTP/1.1 100 Continue\r\n\r\n";
                    co_await net::async_write(stream, net::buffer(continue_line), use_tuple);
                }
                parser.body_limit(limit);
                conn->expire_after(settings_.body_timeout);
                auto [body_ec, body_n] =
                    co_await bhttp::async_read(stream, buffer, parser, use_tuple);
                if (body_ec == bhttp::error::body_limit) {
                    body_ok = false;
                } else if (body_ec) {
                    break;
                }
            }

            if (!body_ok) {
                reply = error_reply({errc::payload_too_large, "Request body is too large", {}});
                ctx.route = match.found != nullptr ? match.found->pattern : "unmatched";
            } else if (match.found != nullptr) {
                conn->expire_never();
                ctx.route = match.found->pattern;
                ctx.params = std::move(match.params);
                ctx.body = std::move(parser.get().body());
                reply = co_await steps_.run(*match.found, ctx);
            } else if (!match.allowed.empty() && ctx.verb == method::options) {
                ctx.route = "unmatched";
                reply.status = 204;
                reply.content_type.clear();
                reply.header("Allow", allow_header(match.allowed));
            } else if (!match.allowed.empty()) {
                ctx.route = "unmatched";
                reply = error_reply(
                    {errc::method_not_allowed,
                     "Method " + std::string(head.method_string()) + " is not allowed here",
                     {}}
                );
                reply.header("Allow", allow_header(match.allowed));
            } else {
                ctx.route = "unmatched";
                reply = error_reply(
                    {errc::not_found,
                     "No route for " + std::string(head.method_string()) + " " + ctx.path,
                     {}}
                );
            }

            const bool keep_alive = body_ok && head.keep_alive() && !stopping_;
            const auto wire = to_wire(
                reply, {head.version(), keep_alive, ctx.verb == method::head, ctx.request_id}
            );
            conn->expire_after(settings_.body_timeout);
            auto [write_ec, write_n] =
                co_await net::async_write(stream, net::buffer(wire), use_tuple);

            record(ctx, reply.status);
            if (write_ec || !keep_alive)
                break;
        }
    } catch (const std::exception& e) {
        log_.error("connection failed", {{"error", e.what()}});
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
    --open_;
}

void server::record(const request_context& ctx, unsigned status) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
    stats_.observe_request(ctx.route, status, seconds);
    if (!log_.enabled(log::level::info))
        return;
    const std::string user_id =
        ctx.principal ? std::to_string(ctx.principal->id.value()) : std::string();
    log_.info(
        "request", {{"requestId", ctx.request_id},
                    {"method", to_string(ctx.verb)},
                    {"route", ctx.route},
                    {"path", ctx.path},
                    {"status", status},
                    {"durationMs", seconds * 1000},
                    {"userId", user_id.empty() ? log::field::value_type(nullptr)
                                               : log::field::value_type(std::string_view(user_id))}}
    );
}

}  // namespace headcount::http
