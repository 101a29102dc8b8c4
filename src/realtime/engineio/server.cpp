#include "realtime/engineio/server.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>

namespace headcount::realtime::engineio {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
/// Writing one answer, and the WebSocket opening and closing handshakes.
constexpr std::chrono::seconds write_timeout{10};
constexpr std::chrono::seconds websocket_handshake_timeout{5};
/// What a held GET reads at a time while it watches for the client going away.
constexpr std::size_t watch_read_size = 512;

struct query_params {
    std::optional<std::string> eio;
    std::optional<std::string> transport;
    std::optional<std::string> sid;
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
    }
    return q;
}

websocket::close_code close_code_for(close_reason why) {
    switch (why) {
        case close_reason::client_close:
        case close_reason::ping_timeout:
        case close_reason::forced_close:
            return websocket::close_code::normal;
        case close_reason::transport_error:
        case close_reason::parse_error:
            return websocket::close_code::protocol_error;
        case close_reason::slow_consumer:
            return websocket::close_code::try_again_later;
        case close_reason::server_shutdown:
            return websocket::close_code::going_away;
    }
    return websocket::close_code::normal;
}

/// One WebSocket, owning the TCP stream it took over from the HTTP connection. Every
/// operation runs on the session's strand; reads and writes are callback chains, so an idle
/// WebSocket holds no coroutine frame and no buffer beyond Beast's own state.
class websocket_transport final : public websocket_link,
                                  public std::enable_shared_from_this<websocket_transport> {
public:
    using request = bhttp::request<bhttp::string_body>;

    websocket_transport(
        beast::tcp_stream&& stream,
        strand_type strand,
        std::shared_ptr<std::atomic<std::size_t>> open_count,
        std::size_t max_payload
    )
        : ws_(std::move(stream)), strand_(std::move(strand)), open_count_(std::move(open_count)) {
        ++*open_count_;
        ws_.read_message_max(max_payload);
        ws_.auto_fragment(false);
        ws_.set_option(websocket::stream_base::timeout{
            websocket_handshake_timeout, websocket::stream_base::none(), false});
    }
    ~websocket_transport() override { --*open_count_; }

    websocket_transport(const websocket_transport&) = delete;
    websocket_transport& operator=(const websocket_transport&) = delete;

    /// Completes the handshake, then offers itself to `s` as the target of its upgrade.
    void upgrade(request req, std::shared_ptr<session> s) {
        session_ = std::move(s);
        accept(std::move(req), nullptr, {});
    }

    /// Completes the handshake, then opens a new session on this WebSocket.
    void open(request req, session_registry& registry, handshake_info info) {
        accept(std::move(req), &registry, std::move(info));
    }

    void output_ready() override {
        if (!writing_)
            write_next();
    }

    void send_control(const frame& f) override {
        out_.push_back(f);
        if (!writing_)
            write_next();
    }

    void close(close_reason why) override {
        if (closing_)
            return;
        closing_ = why;
        if (!writing_)
            shut_down();
    }

private:
    struct pending_accept {
        request req;
        session_registry* registry;
        handshake_info info;
    };

    void accept(request req, session_registry* registry, handshake_info info) {
        accept_ = std::make_unique<pending_accept>(pending_accept{
            std::move(req), registry, std::move(info)});
        net::dispatch(strand_, [self = shared_from_this()] {
            self->ws_.async_accept(
                self->accept_->req,
                net::bind_executor(
                    self->strand_, [self](const beast::error_code& ec) { self->on_accept(ec); }
                )
            );
        });
    }

    void on_accept(const beast::error_code& ec) {
        auto pending = std::move(accept_);
        if (ec)
            return;
        if (pending->registry != nullptr) {
            session_ = pending->registry->create(strand_, true, std::move(pending->info));
            session_->attach_websocket(shared_from_this());
            session_->start();
        } else if (!session_->begin_probe(shared_from_this())) {
            // A second WebSocket for a session that is upgrading or upgraded: accepted, then
            // closed at once (clients without an error handler choke on an HTTP 400 here).
            close(close_reason::forced_close);
            return;
        }
        read_next();
    }

    void read_next() {
        ws_.async_read(
            in_, net::bind_executor(
                     strand_, [self = shared_from_this(
                               )](const beast::error_code& ec, std::size_t) { self->on_read(ec); }
                 )
        );
    }

    void on_read(const beast::error_code& ec) {
        if (ec) {
            read_failed_ = true;
            session_->on_websocket_failed(*this, close_reason::client_close);
            close(close_reason::client_close);
            return;
        }
        const auto data = in_.cdata();
        const std::string_view text(static_cast<const char*>(data.data()), data.size());
        std::optional<packet> p;
        if (ws_.got_binary())
            p = packet{packet_type::message, std::string(text), true};
        else
            p = parse_text(text);
        // An idle WebSocket keeps no read buffer.
        in_.consume(in_.size());
        in_.shrink_to_fit();
        if (!p) {
            session_->on_websocket_failed(*this, close_reason::parse_error);
            close(close_reason::parse_error);
            return;
        }
        session_->on_websocket_packet(*this, *p);
        if (!closing_)
            read_next();
    }

    void write_next() {
        if (closing_)
            return;
        if (next_ == out_.size()) {
            out_.clear();
            next_ = 0;
            if (!session_ || !session_->take_output(*this, out_))
                return;
        }
        writing_ = true;
        const auto& f = out_[next_];
        ws_.text(!f.binary);
        ws_.async_write(
            net::buffer(*f.bytes), net::bind_executor(
                                       strand_, [self = shared_from_this()](
                                                    const beast::error_code& ec, std::size_t
                                                ) { self->on_write(ec); }
                                   )
        );
    }

    void on_write(const beast::error_code& ec) {
        writing_ = false;
        out_[next_].bytes.reset();
        ++next_;
        if (ec) {
            read_failed_ = true;
            session_->on_websocket_failed(*this, close_reason::transport_error);
            close(close_reason::transport_error);
        }
        if (closing_) {
            shut_down();
            return;
        }
        write_next();
    }

    /// Called when no write is in flight: a close handshake when the peer may still answer,
    /// else the TCP connection is dropped (a pending read then ends too).
    void shut_down() {
        out_.clear();
        next_ = 0;
        if (shut_down_)
            return;
        shut_down_ = true;
        const bool peer_alive =
            !read_failed_ && *closing_ != close_reason::ping_timeout && ws_.is_open();
        if (!peer_alive) {
            beast::error_code ignored;
            beast::get_lowest_layer(ws_).socket().close(ignored);
            return;
        }
        ws_.async_close(
            close_code_for(*closing_),
            net::bind_executor(
                strand_,
                [self = shared_from_this()](const beast::error_code&) {
                    beast::error_code ignored;
                    beast::get_lowest_layer(self->ws_).socket().close(ignored);
                }
            )
        );
    }

    websocket::stream<beast::tcp_stream> ws_;
    strand_type strand_;
    std::shared_ptr<std::atomic<std::size_t>> open_count_;
    std::shared_ptr<session> session_;
    std::unique_ptr<pending_accept> accept_;
    beast::flat_buffer in_;
    std::vector<frame> out_;
    std::size_t next_ = 0;
    std::optional<close_reason> closing_;
    bool writing_ = false;
    bool read_failed_ = false;
    bool shut_down_ = false;
};

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
    : ioc_(ioc),
      path_(std::move(path)),
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
    auto s = registry_.create(net::make_strand(ioc_), false, std::move(info));
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
        const auto message = message_of(*refused);
        std::string head =
            "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
            "Content-Type: text/html\r\nContent-Length: " +
            std::to_string(message.size()) + "\r\n\r\n";
        head.append(message);
        x.stream.expires_after(write_timeout);
        co_await net::async_write(x.stream, net::buffer(head), use_tuple);
        co_return false;
    }

    auto req = x.parser.release();
    beast::get_lowest_layer(x.stream).expires_never();
    if (existing) {
        auto strand = existing->strand();
        auto ws = std::make_shared<websocket_transport>(
            std::move(x.stream), std::move(strand), websockets_, registry_.config().max_payload
        );
        ws->upgrade(std::move(req), std::move(existing));
    } else {
        handshake_info info{q.raw, std::string(req[bhttp::field::authorization])};
        auto ws = std::make_shared<websocket_transport>(
            std::move(x.stream), net::make_strand(ioc_), websockets_, registry_.config().max_payload
        );
        ws->open(std::move(req), registry_, std::move(info));
    }
    // The HTTP connection's coroutine ends here; the WebSocket lives on by itself.
    x.buffer.clear();
    x.buffer.shrink_to_fit();
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
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), head.version()};
    if (!content_type.empty())
        res.set(bhttp::field::content_type, content_type);
    if (status == 200)
        res.set(bhttp::field::cache_control, "no-store");
    if (!x.origin.empty()) {
        res.set(bhttp::field::access_control_allow_origin, x.origin);
        res.set(bhttp::field::access_control_allow_credentials, "true");
        res.set(bhttp::field::vary, "Origin");
        if (head.method() == bhttp::verb::options) {
            res.set(bhttp::field::access_control_allow_methods, "GET, POST");
            const std::string_view asked = head[bhttp::field::access_control_request_headers];
            res.set(
                bhttp::field::access_control_allow_headers,
                asked.empty() ? std::string_view("Authorization, Content-Type") : asked
            );
        }
    }
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    x.stream.expires_after(write_timeout);
    const auto [ec, n] = co_await bhttp::async_write(x.stream, res, use_tuple);
    co_return !ec && keep_alive;
}

net::awaitable<bool> server::reply_error(exchange& x, request_error error) {
    auto body = error_body(error);
    co_return co_await reply(x, 400, "application/json", body);
}

}  // namespace headcount::realtime::engineio
