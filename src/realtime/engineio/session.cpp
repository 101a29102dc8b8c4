#include "realtime/engineio/session.hpp"

#include <algorithm>
#include <thread>

#include <boost/asio/post.hpp>

#include "common/crypto.hpp"

namespace headcount::realtime::engineio {
namespace net = boost::asio;

namespace {

const log::logger& logger() {
    static const log::logger log("realtime");
    return log;
}

/// 15 random bytes in base64url: 20 URL-safe characters, as the reference's ids.
std::string random_id() {
    return crypto::base64url_encode(crypto::random_bytes(15));
}

}  // namespace

std::string_view to_string(close_reason reason) {
    switch (reason) {
        case close_reason::client_close:
            return "transport close";
        case close_reason::transport_error:
            return "transport error";
        case close_reason::ping_timeout:
            return "ping timeout";
        case close_reason::parse_error:
            return "parse error";
        case close_reason::forced_close:
            return "forced close";
        case close_reason::slow_consumer:
            return "send queue overflow";
        case close_reason::server_shutdown:
            return "server shutting down";
    }
    return "transport close";
}

session_registry::session_registry(
    net::io_context& ioc,
    settings config,
    application& app,
    std::atomic<std::uint64_t>& dropped_slow
)
    : ioc_(ioc), config_(std::move(config)), app_(app), dropped_slow_(dropped_slow) {
    const unsigned count =
        config_.strands != 0 ? config_.strands : std::max(1U, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < count; ++i)
        strands_.push_back(net::make_strand(ioc_));
}

strand_type session_registry::next_strand() {
    return strands_[next_serial_.load() % strands_.size()];
}

std::shared_ptr<session> session_registry::create(
    strand_type strand, bool websocket, handshake_info info
) {
    auto s = std::make_shared<session>(
        *this, random_id(), ++next_serial_, std::move(strand), websocket, std::move(info)
    );
    const std::scoped_lock lock(mutex_);
    sessions_.emplace(s->id(), s);
    return s;
}

std::shared_ptr<session> session_registry::find(std::string_view id) const {
    const std::scoped_lock lock(mutex_);
    const auto it = sessions_.find(std::string(id));
    return it == sessions_.end() ? nullptr : it->second;
}

void session_registry::remove(const session& s) {
    const std::scoped_lock lock(mutex_);
    const auto it = sessions_.find(s.id());
    if (it != sessions_.end() && it->second.get() == &s)
        sessions_.erase(it);
}

void session_registry::close_all(close_reason why) {
    std::vector<std::shared_ptr<session>> all;
    {
        const std::scoped_lock lock(mutex_);
        all.reserve(sessions_.size());
        for (const auto& [id, s] : sessions_)
            all.push_back(s);
    }
    for (auto& s : all)
        net::post(s->strand(), [s, why] { s->close(why); });
}

std::size_t session_registry::size() const {
    const std::scoped_lock lock(mutex_);
    return sessions_.size();
}

session::session(
    session_registry& registry,
    std::string id,
    std::uint64_t serial,
    strand_type strand,
    bool websocket,
    handshake_info info
)
    : registry_(registry),
      id_(std::move(id)),
      serial_(serial),
      strand_(std::move(strand)),
      handshake_(std::move(info)),
      timer_(strand_),
      websocket_(websocket) {}

void session::start() {
    const auto& c = config();
    send(text_frame(open_packet(id_, !websocket_, c.ping_interval, c.ping_timeout, c.max_payload)));
    // The first ping is due one interval after the handshake whether or not a GET is waiting:
    // a client that never polls again is gone after exactly pingInterval + pingTimeout.
    ping_at_ = clock::now() + c.ping_interval;
    arm();
    connection_ = registry_.app().open(*this);
    logger().debug(
        "engine.io session opened",
        {{"session", serial_}, {"transport", websocket_ ? "websocket" : "polling"}}
    );
}

bool session::send(const frame& f) {
    if (closed_)
        return false;
    if (ws_) {
        if (ws_->send(f))
            return true;
        overflow();
        return false;
    }
    if (queue_.size() >= config().send_queue_limit) {
        overflow();
        return false;
    }
    queue_.push_back(f);
    if (poll_ != nullptr)
        answer_poll(nullptr);
    return true;
}

void session::overflow() {
    registry_.count_dropped_slow();
    logger().warn("engine.io session dropped: send queue full", {{"session", serial_}});
    close(close_reason::slow_consumer);
}

void session::close(close_reason why) {
    if (closed_)
        return;
    closed_ = true;
    armed_for_ = clock::time_point::max();
    timer_.cancel();
    registry_.remove(*this);
    // A client that said goodbye gets its pending GET released with a noop; a session the
    // server ends tells the client with a close packet.
    answer_poll(why == close_reason::client_close ? &noop_frame() : &close_frame());
    queue_.clear();
    if (auto ws = std::move(ws_))
        ws->close(why);
    if (auto probe = std::move(probe_))
        probe->close(why);
    logger().debug("engine.io session closed", {{"session", serial_}, {"reason", to_string(why)}});
    if (auto conn = std::move(connection_))
        conn->on_close(why);
}

void session::set_alarm(clock::time_point when) {
    alarm_ = when;
    arm();
}

std::optional<request_error> session::begin_poll(pending_poll& poll) {
    if (closed_)
        return request_error::unknown_sid;
    if (websocket_)
        return request_error::bad_request;
    if (poll_ != nullptr) {
        // Only one GET at a time: a second one is a protocol error that ends the session,
        // and the first learns it from a close packet.
        close(close_reason::transport_error);
        return request_error::bad_request;
    }
    poll_ = &poll;
    if (!queue_.empty()) {
        answer_poll(nullptr);
    } else if (upgrading_) {
        // The client pauses polling during an upgrade: let this GET go at once.
        answer_poll(&noop_frame());
    }
    return std::nullopt;
}

void session::end_poll(pending_poll& poll, bool client_gone) {
    if (poll_ == &poll)
        poll_ = nullptr;
    if (client_gone)
        close(close_reason::transport_error);
}

std::optional<request_error> session::begin_post() {
    if (closed_)
        return request_error::unknown_sid;
    if (websocket_)
        return request_error::bad_request;
    if (post_active_) {
        close(close_reason::transport_error);
        return request_error::bad_request;
    }
    post_active_ = true;
    return std::nullopt;
}

bool session::receive_payload(std::string_view body) {
    auto packets = decode_payload(body);
    if (!packets) {
        close(close_reason::parse_error);
        return false;
    }
    for (auto& p : *packets) {
        if (closed_)
            break;
        handle(p);
    }
    return true;
}

void session::attach_websocket(std::shared_ptr<websocket_link> ws) {
    ws_ = std::move(ws);
}

bool session::begin_probe(std::shared_ptr<websocket_link> ws) {
    if (closed_ || websocket_ || probe_)
        return false;
    probe_ = std::move(ws);
    upgrade_deadline_ = clock::now() + config().upgrade_timeout;
    arm();
    return true;
}

void session::on_websocket_packet(const websocket_link& from, packet& p) {
    if (closed_)
        return;
    if (&from == ws_.get()) {
        handle(p);
        return;
    }
    if (&from != probe_.get())
        return;
    if (p.type == packet_type::ping && p.data == "probe") {
        probe_->send(probe_answer_frame());
        upgrading_ = true;
        answer_poll(&noop_frame());
    } else if (p.type == packet_type::upgrade) {
        finish_upgrade();
    } else {
        abandon_probe();
    }
}

void session::on_websocket_failed(const websocket_link& which, close_reason why) {
    if (&which == ws_.get()) {
        close(why);
    } else if (&which == probe_.get()) {
        probe_.reset();
        upgrading_ = false;
        upgrade_deadline_ = clock::time_point::max();
        arm();
    }
}

void session::handle(packet& p) {
    switch (p.type) {
        case packet_type::pong:
            pong_deadline_ = clock::time_point::max();
            ping_at_ = clock::now() + config().ping_interval;
            arm();
            break;
        case packet_type::message:
            if (connection_)
                connection_->on_message(p);
            break;
        case packet_type::close:
            close(close_reason::client_close);
            break;
        case packet_type::ping:
            // In v4 the server pings; a client ping outside an upgrade is a protocol error.
            close(close_reason::transport_error);
            break;
        case packet_type::open:
        case packet_type::upgrade:
        case packet_type::noop:
            break;
    }
}

void session::answer_poll(const frame* instead) {
    if (poll_ == nullptr)
        return;
    auto* poll = std::exchange(poll_, nullptr);
    if (instead != nullptr) {
        append_record(poll->body, *instead);
    } else {
        for (const auto& f : queue_)
            append_record(poll->body, f);
        queue_.clear();
    }
    poll->answered = true;
    poll->wake.cancel();
}

void session::abandon_probe() {
    if (auto probe = std::move(probe_))
        probe->close(close_reason::transport_error);
    upgrading_ = false;
    upgrade_deadline_ = clock::time_point::max();
    arm();
}

void session::finish_upgrade() {
    ws_ = std::move(probe_);
    websocket_ = true;
    upgrading_ = false;
    upgrade_deadline_ = clock::time_point::max();
    arm();
    answer_poll(&noop_frame());
    logger().debug("engine.io session upgraded", {{"session", serial_}});
    // What was queued for polling goes out on the WebSocket, in order.
    auto queued = std::move(queue_);
    queue_.clear();
    for (const auto& f : queued) {
        if (!send(f))
            return;
    }
}

void session::arm() {
    if (closed_)
        return;
    const auto next = std::min({ping_at_, pong_deadline_, upgrade_deadline_, alarm_});
    if (next == armed_for_)
        return;
    armed_for_ = next;
    if (next == clock::time_point::max()) {
        timer_.cancel();
        return;
    }
    timer_.expires_at(next);
    timer_.async_wait([self = shared_from_this(), next](const boost::system::error_code& ec) {
        if (!ec && self->armed_for_ == next)
            self->on_timer();
    });
}

void session::on_timer() {
    armed_for_ = clock::time_point::max();
    const auto now = clock::now();
    if (pong_deadline_ <= now) {
        close(close_reason::ping_timeout);
        return;
    }
    if (ping_at_ <= now) {
        // The timeout runs from when the ping was due, so a late timer does not stretch it.
        pong_deadline_ = ping_at_ + config().ping_timeout;
        ping_at_ = clock::time_point::max();
        if (!send(ping_frame()))
            return;
    }
    if (upgrade_deadline_ <= now)
        abandon_probe();
    if (alarm_ <= now) {
        alarm_ = clock::time_point::max();
        if (connection_)
            connection_->on_alarm();
    }
    arm();
}

}  // namespace headcount::realtime::engineio
