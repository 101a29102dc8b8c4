#include "realtime/engineio/websocket_transport.hpp"

#include <array>
#include <span>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>

#include "common/crypto.hpp"

namespace headcount::realtime::engineio {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

/// How long a closing connection waits for the client's close frame.
constexpr std::chrono::seconds close_linger{5};
/// Frames gathered into one write when a backlog drains.
constexpr std::size_t max_gathered = 32;
/// Reads per readiness event before the other connections get their turn.
constexpr int reads_per_wake = 4;

constexpr std::size_t read_space_size = std::size_t{64} * 1024;

std::array<char, read_space_size>& read_space() {
    thread_local std::array<char, read_space_size> space;
    return space;
}

bool would_block(const boost::system::error_code& ec) {
    return ec == net::error::would_block || ec == net::error::try_again;
}

ws::close_code close_code_for(close_reason why) {
    switch (why) {
        case close_reason::client_close:
        case close_reason::ping_timeout:
        case close_reason::forced_close:
            return ws::close_code::normal;
        case close_reason::transport_error:
        case close_reason::parse_error:
            return ws::close_code::protocol_error;
        case close_reason::slow_consumer:
            return ws::close_code::try_again_later;
        case close_reason::server_shutdown:
            return ws::close_code::going_away;
    }
    return ws::close_code::normal;
}

}  // namespace

websocket_transport::websocket_transport(
    tcp::socket socket,
    strand_type strand,
    std::shared_ptr<std::atomic<std::size_t>> open_count,
    const settings& config,
    bool base64_binary
)
    : socket_(std::move(socket)),
      strand_(std::move(strand)),
      open_count_(std::move(open_count)),
      reader_(config.max_payload),
      queue_limit_(config.send_queue_limit),
      base64_binary_(base64_binary) {
    ++*open_count_;
    // Writes and reads are tried at once and never wait: the reactor tells when to retry.
    boost::system::error_code ignored;
    socket_.non_blocking(true, ignored);
}

websocket_transport::~websocket_transport() {
    --*open_count_;
}

void websocket_transport::join(std::shared_ptr<session> s, std::string early) {
    net::dispatch(
        strand_,
        [self = shared_from_this(), s = std::move(s), early = std::move(early)]() mutable {
            self->session_ = std::move(s);
            if (!self->session_->begin_probe(self)) {
                // A second WebSocket for a session that is upgrading or upgraded: accepted,
                // then closed (clients without an error handler choke on an HTTP 400 here).
                self->notified_ = true;
                self->send_close(ws::close_code::normal);
            }
            self->begin(early);
        }
    );
}

void websocket_transport::open(session_registry& registry, handshake_info info, std::string early) {
    net::dispatch(
        strand_,
        [self = shared_from_this(), &registry, info = std::move(info),
         early = std::move(early)]() mutable {
            self->session_ = registry.create(self->strand_, true, std::move(info));
            self->session_->attach_websocket(self);
            self->session_->start();
            self->begin(early);
        }
    );
}

void websocket_transport::begin(const std::string& early) {
    if (!early.empty() && !received(early))
        return;
    if (!dropped_)
        wait_readable();
}

bool websocket_transport::send(const frame& f) {
    if (close_sent_ || dropped_)
        return true;
    if (f.binary && base64_binary_) {
        const auto text =
            std::make_shared<const std::string>("b" + crypto::base64_encode(*f.bytes));
        return enqueue(ws::opcode::text, text);
    }
    return enqueue(f.binary ? ws::opcode::binary : ws::opcode::text, f.bytes);
}

void websocket_transport::close(close_reason why) {
    notified_ = true;
    if (close_sent_ || dropped_)
        return;
    if (why == close_reason::ping_timeout || why == close_reason::slow_consumer) {
        // The peer is not answering, or not reading: a close handshake would only wait.
        drop_connection();
        return;
    }
    send_close(close_code_for(why));
}

bool websocket_transport::enqueue(
    ws::opcode op, const std::shared_ptr<const std::string>& payload
) {
    const auto head = ws::server_header(op, payload->size());
    if (out_head_ == out_.size() && !write_waiting_) {
        const std::array<net::const_buffer, 2> buffers{
            net::buffer(head.bytes.data(), head.size), net::buffer(*payload)};
        boost::system::error_code ec;
        const auto n = socket_.send(buffers, 0, ec);
        if (!ec && n == head.size + payload->size())
            return true;
        if (ec && !would_block(ec)) {
            drop_connection();
            notify(close_reason::transport_error);
            return true;
        }
        out_.push_back({payload, head, ec ? 0 : n});
        wait_writable();
        return true;
    }
    // Only data counts against the limit: a close or pong must still get through.
    const bool control = op == ws::opcode::close || op == ws::opcode::pong;
    if (!control && out_.size() - out_head_ >= queue_limit_)
        return false;
    out_.push_back({payload, head, 0});
    return true;
}

void websocket_transport::flush() {
    while (out_head_ < out_.size()) {
        std::array<net::const_buffer, 2 * max_gathered> buffers;
        std::size_t count = 0;
        for (auto i = out_head_; i < out_.size() && count + 2 <= buffers.size(); ++i) {
            const auto& o = out_[i];
            std::size_t skip = o.sent;
            if (skip < o.head.size) {
                buffers[count++] = net::buffer(o.head.bytes.data() + skip, o.head.size - skip);
                skip = 0;
            } else {
                skip -= o.head.size;
            }
            buffers[count++] = net::buffer(o.payload->data() + skip, o.payload->size() - skip);
        }
        boost::system::error_code ec;
        auto n = socket_.send(std::span<const net::const_buffer>(buffers.data(), count), 0, ec);
        if (would_block(ec)) {
            wait_writable();
            return;
        }
        if (ec) {
            drop_connection();
            notify(close_reason::transport_error);
            return;
        }
        while (n > 0) {
            auto& o = out_[out_head_];
            const auto left = o.size() - o.sent;
            if (n < left) {
                o.sent += n;
                break;
            }
            n -= left;
            o.payload.reset();
            ++out_head_;
        }
    }
    out_.clear();
    out_head_ = 0;
    // A burst's backlog is not kept.
    if (out_.capacity() > max_gathered)
        out_.shrink_to_fit();
    after_flush();
}

void websocket_transport::wait_writable() {
    if (write_waiting_ || dropped_)
        return;
    write_waiting_ = true;
    socket_.async_wait(
        tcp::socket::wait_write,
        net::bind_executor(
            strand_,
            [self = shared_from_this()](const boost::system::error_code& ec) {
                self->write_waiting_ = false;
                if (self->dropped_)
                    return;
                if (ec) {
                    self->drop_connection();
                    self->notify(close_reason::transport_error);
                    return;
                }
                self->flush();
            }
        )
    );
}

void websocket_transport::wait_readable() {
    socket_.async_wait(
        tcp::socket::wait_read,
        net::bind_executor(
            strand_, [self = shared_from_this()](const boost::system::error_code& ec
                     ) { self->on_readable(ec); }
        )
    );
}

void websocket_transport::on_readable(const boost::system::error_code& ec) {
    if (dropped_)
        return;
    if (ec) {
        drop_connection();
        notify(close_reason::client_close);
        return;
    }
    auto& space = read_space();
    for (int round = 0; round < reads_per_wake; ++round) {
        boost::system::error_code read_ec;
        const auto n = socket_.read_some(net::buffer(space), read_ec);
        if (would_block(read_ec))
            break;
        if (read_ec) {
            drop_connection();
            notify(close_reason::client_close);
            return;
        }
        if (!received(std::string_view(space.data(), n)))
            return;
        if (n < space.size())
            break;
    }
    wait_readable();
}

bool websocket_transport::received(std::string_view bytes) {
    std::vector<ws::incoming> messages;
    const auto violation = reader_.feed(bytes, messages);
    for (auto& m : messages) {
        if (!handle(m))
            return false;
    }
    if (violation) {
        refuse(*violation, close_reason::parse_error);
        return !dropped_;
    }
    return !dropped_;
}

bool websocket_transport::handle(ws::incoming& message) {
    switch (message.op) {
        case ws::opcode::text: {
            if (close_sent_)
                return true;
            auto p = parse_text(message.payload);
            if (!p) {
                refuse(ws::close_code::protocol_error, close_reason::parse_error);
                return !dropped_;
            }
            session_->on_websocket_packet(*this, *p);
            return !dropped_;
        }
        case ws::opcode::binary: {
            if (close_sent_)
                return true;
            packet p{packet_type::message, std::move(message.payload), true};
            session_->on_websocket_packet(*this, p);
            return !dropped_;
        }
        case ws::opcode::ping:
            if (!close_sent_)
                enqueue(ws::opcode::pong, std::make_shared<const std::string>(message.payload));
            return true;
        case ws::opcode::pong:
        case ws::opcode::continuation:
            return true;
        case ws::opcode::close:
            close_received_ = true;
            if (!close_sent_) {
                // The client's goodbye: echo its status code, then end the connection.
                send_close_payload(message.payload.substr(0, 2));
                notify(close_reason::client_close);
            } else {
                drop_connection();
            }
            return false;
    }
    return true;
}

void websocket_transport::refuse(ws::close_code code, close_reason why) {
    // Failing the connection: the close frame goes out, then TCP ends without waiting for
    // the client's answer.
    failing_ = true;
    send_close(code);
    notify(why);
}

void websocket_transport::send_close(ws::close_code code) {
    send_close_payload(ws::close_payload(code));
}

void websocket_transport::send_close_payload(std::string payload) {
    if (close_sent_ || dropped_)
        return;
    enqueue(ws::opcode::close, std::make_shared<const std::string>(std::move(payload)));
    close_sent_ = true;
    linger_ = std::make_unique<timer>(strand_, close_linger);
    linger_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec)
            self->drop_connection();
    });
    if (out_head_ == out_.size() && !write_waiting_)
        after_flush();
}

void websocket_transport::after_flush() {
    // Both close frames exchanged (or the connection failed) and ours written: the server
    // ends the TCP connection.
    if (close_sent_ && (close_received_ || failing_))
        drop_connection();
}

void websocket_transport::notify(close_reason why) {
    if (notified_)
        return;
    notified_ = true;
    if (session_)
        session_->on_websocket_failed(*this, why);
}

void websocket_transport::drop_connection() {
    if (dropped_)
        return;
    dropped_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (linger_)
        linger_->cancel();
    out_.clear();
    out_head_ = 0;
}

}  // namespace headcount::realtime::engineio
