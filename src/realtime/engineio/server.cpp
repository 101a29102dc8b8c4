#include "realtime/engineio/server.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>

#include "http/wire_response.hpp"
#include "realtime/engineio/websocket_transport.hpp"

namespace headcount::realtime::engineio {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
/// Writing one answer, and the WebSocket handshake.
constexpr std::chrono::seconds write_timeout{10};
constexpr std::chrono::seconds websocket_handshake_timeout{5};
/// What a held GET reads at a time while it watches for the client going away.
constexpr std::size_t watch_read_size = 512;

struct query_params {
    std::optional<std::string> eio;
    std::optional<std::string> transport;
    std::optional<std::string> sid;
    bool base64 = false;  ///< `b64`: the client takes no binary frames
    std::string raw;
};

query_params parse_query(std::string_view target) {
    query_params q;
    const auto url = boost::urls::parse_origin_form(target);
    if (!url)
        return q;
    q.raw = std::string(url->encoded_query());
    for (const auto& param : url->params()) {
        if (param.key == "EIO")
            q.eio = param.value;
        else if (param.key == "transport")
            q.transport = param.value;
        else if (param.key == "sid")
            q.sid = param.value;
        else if (param.key == "b64")
            q.base64 = true;
    }
    return q;
}

}  // namespace

struct server::exchange {
    beast::tcp_stream& stream;
    beast::flat_buffer& buffer;
    parser_type& parser;
    query_params query;
    std::string origin;  ///< the CORS origin to allow, empty for none
};

server::server(
    net::io_context& ioc,
    std::string path,
    settings config,
    application& app,
    std::atomic<std::uint64_t>& dropped_slow
)
    : path_(std::move(path)),
      registry_(ioc, std::move(config), app, dropped_slow),
      websockets_(std::make_shared<std::atomic<std::size_t>>(0)) {}

server::~server() = default;

bool server::handles(std::string_view path) const {
    return path.starts_with(path_);
}

std::string server::allowed_origin(std::string_view origin) const {
    if (origin.empty())
        return {};
    const auto& allowed = registry_.config().cors_origins;
    const bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const std::string& o) {
        return o == "*" || o == origin;
    });
    return ok ? std::string(origin) : std::string();
}

net::awaitable<bool> server::
    serve(beast::tcp_stream& stream, beast::flat_buffer& buffer, parser_type& parser, const std::string&) {
    auto& req = parser.get();
    exchange x{stream, buffer, parser, parse_query(req.target()), {}};
    if (websocket::is_upgrade(req))
        co_return co_await serve_websocket(x);

    // WebSockets are not subject to CORS; polling answers (errors included) carry it.
    x.origin = allowed_origin(req[bhttp::field::origin]);
    const auto method = req.method();
    if (method == bhttp::verb::options && !x.origin.empty()) {
        std::string none;
        co_return co_await reply(x, 204, {}, none);
    }

    const auto& q = x.query;
    if (!q.transport || (*q.transport != "polling" && *q.transport != "websocket"))
        co_return co_await reply_error(x, request_error::unknown_transport);
    if (q.sid) {
        auto s = registry_.find(*q.sid);
        if (!s)
            co_return co_await reply_error(x, request_error::unknown_sid);
        if (*q.transport != "polling" ||
            (method != bhttp::verb::get && method != bhttp::verb::post)) {
            co_return co_await reply_error(x, request_error::bad_request);
        }
        auto task = method == bhttp::verb::get ? poll(s, x, false) : post(s, x);
        auto on_strand = net::co_spawn(s->strand(), std::move(task), net::use_awaitable);
        co_return co_await std::move(on_strand);
    }
    if (method != bhttp::verb::get)
        co_return co_await reply_error(x, request_error::bad_handshake_method);
    if (*q.transport == "websocket")
        co_return co_await reply_error(x, request_error::bad_request);
    if (q.eio != "4")
        co_return co_await reply_error(x, request_error::unsupported_protocol_version);

    handshake_info info{q.raw, std::string(req[bhttp::field::authorization])};
    auto s = registry_.create(registry_.next_strand(), false, std::move(info));
    auto task = poll(s, x, true);
    auto on_strand = net::co_spawn(s->strand(), std::move(task), net::use_awaitable);
    co_return co_await std::move(on_strand);
}

net::awaitable<bool> server::serve_websocket(exchange& x) {
    const auto& q = x.query;
    std::optional<request_error> refused;
    std::shared_ptr<session> existing;
    if (!q.transport || *q.transport != "websocket") {
        refused = request_error::unknown_transport;
    } else if (q.sid) {
        existing = registry_.find(*q.sid);
        if (!existing)
            refused = request_error::unknown_sid;
    } else if (q.eio != "4") {
        refused = request_error::unsupported_protocol_version;
    }
    if (refused) {
        // What the reference does for a WebSocket it will not take: a bare HTTP answer with
        // the message as body, then the connection closes.
        http::response r;
        r.status = 400;
        r.content_type = "text/html";
        r.body = message_of(*refused);
        const auto wire = http::to_wire(r, {x.parser.get().version(), false, false, {}});
        x.stream.expires_after(write_timeout);
        co_await net::async_write(x.stream, net::buffer(wire), use_tuple);
        co_return false;
    }

    // Beast answers the upgrade; the frames are then ours (websocket_transport).
    auto req = x.parser.release();
    x.stream.expires_never();
    {
        websocket::stream<beast::tcp_stream&> handshake(x.stream);
        handshake.set_option(websocket::stream_base::timeout{
            websocket_handshake_timeout, websocket::stream_base::none(), false});
        const auto [ec] = co_await handshake.async_accept(req, use_tuple);
        if (ec)
            co_return false;
    }
    std::string early(static_cast<const char*>(x.buffer.data().data()), x.buffer.size());
    x.buffer.clear();
    x.buffer.shrink_to_fit();
    auto socket = x.stream.release_socket();
    if (existing) {
        auto ws = std::make_shared<websocket_transport>(
            std::move(socket), existing->strand(), websockets_, registry_.config(), q.base64
        );
        ws->join(std::move(existing), std::move(early));
    } else {
        handshake_info info{q.raw, std::string(req[bhttp::field::authorization])};
        auto ws = std::make_shared<websocket_transport>(
            std::move(socket), registry_.next_strand(), websockets_, registry_.config(), q.base64
        );
        ws->open(registry_, std::move(info), std::move(early));
    }
    // The HTTP connection's coroutine ends here; the WebSocket lives on by itself.
    co_return false;
}

net::awaitable<bool> server::poll(std::shared_ptr<session> s, exchange& x, bool opening) {
    using namespace net::experimental::awaitable_operators;
    if (opening)
        s->start();
    pending_poll pending(s->strand());
    if (auto error = s->begin_poll(pending))
        co_return co_await reply_error(x, *error);

    bool client_gone = false;
    bool watching = true;
    x.stream.expires_never();
    while (!pending.answered) {
        if (!watching) {
            co_await pending.wake.async_wait(use_tuple);
            continue;
        }
        // While the GET is held, a read on its connection notices a client that goes away.
        auto woken = pending.wake.async_wait(use_tuple);
        auto read = x.stream.socket().async_read_some(x.buffer.prepare(watch_read_size), use_tuple);
        auto first = co_await (std::move(woken) || std::move(read));
        if (first.index() == 1) {
            const auto [ec, n] = std::get<1>(first);
            if (ec) {
                client_gone = true;
                break;
            }
            // A pipelined next request: keep it for the HTTP server and stop watching.
            x.buffer.commit(n);
            watching = false;
        }
    }
    s->end_poll(pending, client_gone);
    if (client_gone)
        co_return false;
    co_return co_await reply(x, 200, "text/plain; charset=UTF-8", pending.body);
}

net::awaitable<bool> server::post(std::shared_ptr<session> s, exchange& x) {
    if (auto error = s->begin_post())
        co_return co_await reply_error(x, *error);
    auto& head = x.parser.get();
    const auto limit = registry_.config().max_payload;
    std::optional<unsigned> failed;
    if (head[bhttp::field::content_type].starts_with("application/octet-stream")) {
        // Engine.IO v4 POST bodies are always text.
        failed = 400;
    } else if (x.parser.content_length() && *x.parser.content_length() > limit) {
        failed = 413;
    } else if (!x.parser.is_done()) {
        x.parser.body_limit(limit);
        x.stream.expires_after(write_timeout);
        const auto [ec, n] = co_await bhttp::async_read(x.stream, x.buffer, x.parser, use_tuple);
        if (ec == bhttp::error::body_limit) {
            failed = 413;
        } else if (ec) {
            s->end_post();
            s->close(close_reason::transport_error);
            co_return false;
        }
    }
    if (failed) {
        s->end_post();
        s->close(close_reason::transport_error);
        std::string empty;
        co_return co_await reply(x, *failed, {}, empty);
    }
    const bool parsed = s->receive_payload(x.parser.get().body());
    s->end_post();
    if (!parsed)
        co_return co_await reply_error(x, request_error::bad_request);
    std::string ok = "ok";
    co_return co_await reply(x, 200, "text/html", ok);
}

net::awaitable<bool> server::reply(
    exchange& x, unsigned status, std::string_view content_type, std::string& body
) {
    const auto& head = x.parser.get();
    // A body left unread would be taken for the next request: such connections end here.
    const bool keep_alive = head.keep_alive() && x.parser.is_done();
    http::response r;
    r.status = status;
    r.content_type = content_type;
    r.body = std::move(body);
    if (status == 200)
        r.header("Cache-Control", "no-store");
    if (!x.origin.empty()) {
        r.header("Access-Control-Allow-Origin", x.origin);
        r.header("Access-Control-Allow-Credentials", "true");
        r.header("Vary", "Origin");
        if (head.method() == bhttp::verb::options) {
            r.header("Access-Control-Allow-Methods", "GET, POST");
            const std::string_view asked = head[bhttp::field::access_control_request_headers];
            r.header(
                "Access-Control-Allow-Headers",
                std::string(asked.empty() ? std::string_view("Authorization, Content-Type") : asked)
            );
        }
    }
    const auto wire = http::to_wire(r, {head.version(), keep_alive, false, {}});
    x.stream.expires_after(write_timeout);
    const auto [ec, n] = co_await net::async_write(x.stream, net::buffer(wire), use_tuple);
    co_return !ec && keep_alive;
}

net::awaitable<bool> server::reply_error(exchange& x, request_error error) {
    auto body = error_body(error);
    co_return co_await reply(x, 400, "application/json", body);
}

}  // namespace headcount::realtime::engineio
