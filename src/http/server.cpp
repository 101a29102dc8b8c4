#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <tuple>

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
#include "http/wire_response.hpp"

namespace headcount::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t read_chunk = 4096;
/// How long a closing connection keeps reading what the client still sends (see linger()).
constexpr std::chrono::seconds linger_time{2};
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

/// Errors of a request head that deserve an answer rather than a silent close.
bool is_malformed_head(boost::system::error_code ec) {
    return ec == bhttp::error::header_limit || ec == bhttp::error::bad_target ||
           ec == bhttp::error::bad_method || ec == bhttp::error::bad_version ||
           ec == bhttp::error::bad_field || ec == bhttp::error::bad_value ||
           ec == bhttp::error::bad_line_ending;
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

    explicit connection(tcp::socket s) : stream(std::move(s)) {
        boost::system::error_code ec;
        const auto remote = stream.socket().remote_endpoint(ec);
        if (!ec)
            peer = remote.address().to_string();
    }
    void expire_after(std::chrono::milliseconds limit) {
        deadline.store(
            (clock::now() + limit).time_since_epoch().count(), std::memory_order_relaxed
        );
    }
    void expire_never() { deadline.store(no_deadline, std::memory_order_relaxed); }

    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::string peer;
    std::atomic<bool> busy{false};
    /// When the sweep closes the connection (its read or write is overdue). None while a
    /// handler runs, or while a raw endpoint, which keeps its own time, has the connection.
    std::atomic<clock::rep> deadline{no_deadline};
};

server::server(
    net::io_context& ioc,
    server_settings settings,
    const router& routes,
    refusal_writer refusals,
    metrics& stats
)
    : ioc_(ioc),
      settings_(std::move(settings)),
      routes_(routes),
      refusals_(std::move(refusals)),
      stats_(stats),
      acceptor_(net::make_strand(ioc)),
      id_prefix_(crypto::to_hex(crypto::random_bytes(4)) + "-"),
      sweep_every_(std::clamp(
          std::min({settings_.header_timeout, settings_.idle_timeout, settings_.body_timeout}) / 10,
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
    largest_body_ = settings_.body_limit;
    for (const auto& r : routes_.routes())
        largest_body_ = std::max(largest_body_, r.body_limit);
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

/// One request on a connection, from its head to its reply.
struct server::exchange {
    raw_endpoint::parser_type parser;
    request req;
    router::match match;
    bool body_too_large = false;
};

net::awaitable<void> server::serve(std::shared_ptr<connection> conn) {
    bool first = true;
    try {
        while (!stopping_ && co_await await_request(*conn, first)) {
            first = false;
            exchange ex;
            ex.req.started = std::chrono::steady_clock::now();
            ex.req.request_id = id_prefix_ + std::to_string(++next_request_);
            ex.parser.header_limit(header_limit);
            ex.parser.body_limit(largest_body_);
            auto [read_ec, read_n] =
                co_await bhttp::async_read_header(conn->stream, conn->buffer, ex.parser, use_tuple);
            if (read_ec) {
                co_await refuse_head(*conn, ex, read_ec);
                break;
            }
            read_head(ex, conn->peer);
            if (auto* raw = raw_endpoint_for(ex)) {
                conn->expire_never();
                if (!co_await raw->serve(
                        conn->stream, conn->buffer, ex.parser, ex.req.remote_address
                    ))
                    break;
                conn->stream.expires_never();  // the endpoint's own limit on its last write
                continue;
            }
            if (!co_await read_body(*conn, ex))
                break;
            conn->expire_never();
            const auto r = co_await answer(ex);
            if (!co_await reply(*conn, ex, r))
                break;
        }
    } catch (const std::exception& e) {
        log_.error("connection failed", {{"error", e.what()}});
    }
    co_await linger(*conn);
    conn->stream.close();
    --open_;
}

// Closing a socket with unread bytes in it resets the connection, and the reset can destroy
// an answer the client has not read yet: a 413 sent before the body it refuses, or an answer
// to a request followed by more. So the server half-closes, then reads and drops what the
// client still sends until it closes too or linger_time is over (RFC 9112, section 9.6).
net::awaitable<void> server::linger(connection& conn) {
    boost::system::error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.busy = false;  // so that shutdown() cuts the wait short
    if (ec || stopping_)
        co_return;
    conn.expire_after(linger_time);
    std::array<char, read_chunk> dropped{};
    while (!ec) {
        std::tie(ec, std::ignore) =
            co_await conn.stream.async_read_some(net::buffer(dropped), use_tuple);
    }
}

net::awaitable<bool> server::await_request(connection& conn, bool first) {
    // Waiting for the next request on an open connection is the idle timeout; the header
    // timeout runs from the first byte (from the accept on a new connection).
    conn.busy = false;
    if (conn.buffer.size() == 0) {
        conn.expire_after(first ? settings_.header_timeout : settings_.idle_timeout);
        auto [ec, n] =
            co_await conn.stream.async_read_some(conn.buffer.prepare(read_chunk), use_tuple);
        if (ec)
            co_return false;
        conn.buffer.commit(n);
    }
    conn.busy = true;
    if (!first)
        conn.expire_after(settings_.header_timeout);
    co_return true;
}

net::awaitable<void> server::refuse_head(
    connection& conn, exchange& ex, boost::system::error_code read_error
) {
    const bool too_large = read_error == bhttp::error::body_limit;
    if (!too_large && !is_malformed_head(read_error))
        co_return;  // the client went away or timed out: nobody to answer
    // Whatever of the head was parsed, so the refusal is logged like any request.
    ex.req.verb = method_of(ex.parser.get().method());
    const auto target = ex.parser.get().target();
    ex.req.path = std::string(target.substr(0, target.find('?')));
    ex.req.route = "unmatched";
    const auto r = too_large ? refusals_(refusal::too_large, "Request body is too large")
                             : refusals_(refusal::malformed, "Malformed HTTP request");
    conn.expire_after(settings_.body_timeout);
    const auto wire = to_wire(r, {ex.parser.get().version(), false, false, ex.req.request_id});
    co_await net::async_write(conn.stream, net::buffer(wire), use_tuple);
    record(ex.req, r.status);
}

void server::read_head(exchange& ex, const std::string& peer) const {
    const auto& head = ex.parser.get();
    auto& req = ex.req;
    req.verb = method_of(head.method());
    req.target = std::string(head.target());
    const auto url = boost::urls::parse_origin_form(req.target);
    if (url) {
        req.path = url->path();
        for (const auto& param : url->params())
            req.query.emplace_back(param.key, param.value);
        ex.match = routes_.find(req.verb, req.path);
    } else {
        req.path = req.target.substr(0, req.target.find('?'));
    }
    req.headers.reserve(16);
    for (const auto& field : head) {
        std::string name(field.name_string());
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.remote_address = client_address(peer, req.header("x-forwarded-for"), settings_.trust_proxy);
    req.route = ex.match.found != nullptr ? ex.match.found->pattern : "unmatched";
}

raw_endpoint* server::raw_endpoint_for(const exchange& ex) const {
    // A path of the route table beats a raw endpoint's prefix: the socket.io client bundle
    // is a file under `/socket.io/`, the rest of which is Engine.IO.
    if (ex.match.found != nullptr || !ex.match.allowed.empty())
        return nullptr;
    raw_endpoint* found = nullptr;
    for (auto* endpoint : raw_endpoints_) {
        if (endpoint->handles(ex.req.path))
            found = endpoint;
    }
    return found;
}

net::awaitable<bool> server::read_body(connection& conn, exchange& ex) {
    const std::size_t limit = ex.match.found != nullptr && ex.match.found->body_limit != 0
                                  ? ex.match.found->body_limit
                                  : settings_.body_limit;
    const auto declared = ex.parser.content_length();
    if (declared && *declared > limit) {
        ex.body_too_large = true;
        co_return true;
    }
    if (ex.parser.is_done())
        co_return true;
    if (ex.req.header("expect") == "100-continue") {
        static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await net::async_write(conn.stream, net::buffer(continue_line), use_tuple);
    }
    ex.parser.body_limit(limit);
    conn.expire_after(settings_.body_timeout);
    auto [ec, n] = co_await bhttp::async_read(conn.stream, conn.buffer, ex.parser, use_tuple);
    if (ec == bhttp::error::body_limit) {
        ex.body_too_large = true;
        co_return true;
    }
    co_return !ec;
}

net::awaitable<response> server::answer(exchange& ex) {
    auto& req = ex.req;
    if (ex.body_too_large)
        co_return refusals_(refusal::too_large, "Request body is too large");
    if (ex.match.found != nullptr) {
        req.params = std::move(ex.match.params);
        req.body = std::move(ex.parser.get().body());
        co_return co_await ex.match.found->handle(req);
    }
    const std::string method_name(ex.parser.get().method_string());
    if (ex.match.allowed.empty())
        co_return refusals_(refusal::not_found, "No route for " + method_name + " " + req.path);
    response r;
    if (req.verb == method::options) {
        r.status = 204;
        r.content_type.clear();
    } else {
        r = refusals_(
            refusal::method_not_allowed, "Method " + method_name + " is not allowed here"
        );
    }
    r.header("Allow", allow_header(ex.match.allowed));
    co_return r;
}

net::awaitable<bool> server::reply(connection& conn, exchange& ex, const response& r) {
    const bool keep_alive = !ex.body_too_large && ex.parser.get().keep_alive() && !stopping_;
    const auto wire = to_wire(
        r, {ex.parser.get().version(), keep_alive, ex.req.verb == method::head, ex.req.request_id}
    );
    conn.expire_after(settings_.body_timeout);
    auto [ec, n] = co_await net::async_write(conn.stream, net::buffer(wire), use_tuple);
    record(ex.req, r.status);
    co_return !ec && keep_alive;
}

void server::record(const request& req, unsigned status) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - req.started).count();
    stats_.observe_request(req.route, status, seconds);
    if (!log_.enabled(log::level::info))
        return;
    log_.info(
        "request",
        {{"requestId", req.request_id},
         {"method", to_string(req.verb)},
         {"route", req.route},
         {"path", req.path},
         {"status", status},
         {"durationMs", seconds * 1000},
         {"userId", req.actor.empty() ? log::field::value_type(nullptr)
                                      : log::field::value_type(std::string_view(req.actor))}}
    );
}

}  // namespace headcount::http
