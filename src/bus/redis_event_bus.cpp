#include "bus/redis_event_bus.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "common/crypto.hpp"

namespace headcount::bus {
namespace {

namespace net = boost::asio;
namespace json = boost::json;

constexpr const char* channel = "headcount:events";
constexpr auto first_backoff = std::chrono::milliseconds(100);
constexpr auto max_backoff = std::chrono::milliseconds(5000);

/// Frees a link's context at once (a subscribed one would otherwise linger until the server
/// closes it, still delivering).
void close(redisAsyncContext*& link) {
    if (auto* c = std::exchange(link, nullptr))
        redisAsyncFree(c);
}

/// The message on the channel: {"origin", "name", "meetingId", "userIds", "payload"}.
std::string encode(const std::string& origin, const domain_event& e) {
    json::array users;
    for (const auto& u : e.user_ids)
        users.emplace_back(u);
    return json::serialize(json::object{
        {"origin", origin},
        {"name", e.name},
        {"meetingId", e.meeting_id},
        {"userIds", std::move(users)},
        {"payload", e.payload.get()}});
}

}  // namespace

redis_event_bus::redis_event_bus(
    net::io_context& ioc, const std::string& url, std::atomic<std::uint64_t>& published
)
    : strand_(net::make_strand(ioc)),
      instance_(crypto::to_hex(crypto::random_bytes(8))),
      published_(published),
      retry_(strand_),
      backoff_(first_backoff) {
    std::string rest = url.substr(std::string_view("redis://").size());
    rest = rest.substr(0, rest.find('/'));
    if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        port_ = std::stoi(rest.substr(colon + 1));
        rest.resize(colon);
    }
    host_ = rest.empty() ? "127.0.0.1" : rest;
}

redis_event_bus::~redis_event_bus() {
    // The I/O threads have stopped: nothing else runs on the strand now.
    stopped_ = true;
    close(publisher_);
    close(subscriber_);
}

void redis_event_bus::start() {
    log_.info(
        "event bus starting",
        {{"redis", host_ + ":" + std::to_string(port_)}, {"instance", instance_}}
    );
    net::post(strand_, [this] { connect(); });
}

void redis_event_bus::stop() {
    net::post(strand_, [this] {
        stopped_ = true;
        retry_.cancel();
        close(publisher_);
        close(subscriber_);
    });
}

void redis_event_bus::deliver(domain_event event) const {
    hand_to(receivers_, std::move(event));
}

void redis_event_bus::publish(domain_event event) {
    ++published_;
    auto message = encode(instance_, event);
    auto name = event.name;
    deliver(std::move(event));
    net::post(strand_, [this, message = std::move(message), name = std::move(name)] {
        if (publisher_ == nullptr || !healthy_) {
            log_.warn("event not fanned out: Redis is unavailable", {{"event", name}});
            return;
        }
        redisAsyncCommand(
            publisher_, nullptr, nullptr, "PUBLISH %s %b", channel, message.data(), message.size()
        );
    });
}

redisAsyncContext* redis_event_bus::open() {
    redisAsyncContext* c = redisAsyncConnect(host_.c_str(), port_);
    if (c == nullptr)
        return nullptr;
    if (c->err != 0) {
        log_.warn("cannot connect to Redis", {{"error", c->errstr}});
        redisAsyncFree(c);
        return nullptr;
    }
    c->data = this;
    attach(c, strand_);
    redisAsyncSetConnectCallback(c, on_connect);
    redisAsyncSetDisconnectCallback(c, on_disconnect);
    return c;
}

void redis_event_bus::connect() {
    retry_pending_ = false;
    if (stopped_)
        return;
    publisher_up_ = false;
    subscribed_ = false;
    publisher_ = open();
    subscriber_ = open();
    if (publisher_ == nullptr || subscriber_ == nullptr) {
        lost(nullptr);
    }
}

void redis_event_bus::on_connect(const redisAsyncContext* context, int status) {
    static_cast<redis_event_bus*>(context->data)->connected(context, status == REDIS_OK);
}

void redis_event_bus::on_disconnect(const redisAsyncContext* context, int) {
    static_cast<redis_event_bus*>(context->data)->lost(context);
}

void redis_event_bus::on_message(redisAsyncContext* context, void* reply, void*) {
    // A null reply: the connection is going away (on_disconnect follows).
    if (reply != nullptr)
        static_cast<redis_event_bus*>(context->data)->receive(*static_cast<redisReply*>(reply));
}

void redis_event_bus::connected(const redisAsyncContext* context, bool ok) {
    if (!ok) {
        // hiredis frees a context whose connection failed, without a disconnect callback.
        log_.warn("cannot connect to Redis", {{"error", context->errstr}});
        lost(context);
        return;
    }
    if (context == subscriber_) {
        redisAsyncCommand(subscriber_, on_message, nullptr, "SUBSCRIBE %s", channel);
    } else if (context == publisher_) {
        publisher_up_ = true;
        update_health();
    }
}

void redis_event_bus::lost(const redisAsyncContext* context) {
    if (context != nullptr && context == publisher_)
        publisher_ = nullptr;
    if (context != nullptr && context == subscriber_)
        subscriber_ = nullptr;
    publisher_up_ = publisher_up_ && publisher_ != nullptr;
    subscribed_ = subscribed_ && subscriber_ != nullptr;
    update_health();
    if (stopped_)
        return;
    // Both links go together (its own disconnect callback finds neither link).
    close(publisher_);
    close(subscriber_);
    if (retry_pending_)
        return;
    retry_pending_ = true;
    log_.warn("Redis unavailable; reconnecting", {{"retryMs", backoff_.count()}});
    retry_.expires_after(backoff_);
    backoff_ =
        std::min(backoff_ * 2, std::chrono::duration_cast<std::chrono::milliseconds>(max_backoff));
    retry_.async_wait([this](boost::system::error_code ec) {
        if (!ec)
            connect();
    });
}

void redis_event_bus::receive(const redisReply& reply) {
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements < 3)
        return;
    const std::string_view kind(reply.element[0]->str, reply.element[0]->len);
    if (kind == "subscribe") {
        subscribed_ = true;
        update_health();
        return;
    }
    if (kind != "message" || reply.element[2]->type != REDIS_REPLY_STRING)
        return;
    boost::system::error_code ec;
    const auto value = json::parse({reply.element[2]->str, reply.element[2]->len}, ec);
    const auto* message = value.if_object();
    if (ec || message == nullptr) {
        log_.warn("ignored a malformed message on the event channel");
        return;
    }
    const auto* origin = message->if_contains("origin");
    if (origin == nullptr || !origin->is_string() || origin->get_string() == instance_)
        return;  // our own, delivered when it was published
    try {
        domain_event e;
        e.name = json::value_to<std::string>(message->at("name"));
        e.meeting_id = json::value_to<std::string>(message->at("meetingId"));
        e.user_ids = json::value_to<std::vector<std::string>>(message->at("userIds"));
        e.payload = message->at("payload").as_object();
        deliver(std::move(e));
    } catch (const std::exception& failure) {
        log_.warn("ignored a malformed message on the event channel", {{"error", failure.what()}});
    }
}

void redis_event_bus::update_health() {
    const bool up = publisher_up_ && subscribed_;
    healthy_ = up;
    if (up && !was_healthy_) {
        backoff_ = first_backoff;
        log_.info("event bus connected to Redis", {{"instance", instance_}});
    }
    was_healthy_ = up;
}

}  // namespace headcount::bus
