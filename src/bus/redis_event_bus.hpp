#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bus/event_bus.hpp"
#include "bus/hiredis_asio.hpp"
#include "common/logging.hpp"

struct redisAsyncContext;
struct redisReply;

namespace headcount::bus {

/// Fan-out through Redis pub/sub, as Socket.IO's Redis adapter does: every instance
/// PUBLISHes its events on one channel, tagged with its instance id, and SUBSCRIBEs to it.
/// Publishing delivers to this instance's sockets at once; from the channel an instance
/// delivers only the events of the others, so each event reaches each socket once.
///
/// Two hiredis async connections (a subscribed connection can send nothing else) run on a
/// strand of the I/O context. When either drops, both are closed and reopened with a
/// backoff (100 ms doubling to 5 s); events raised meanwhile are delivered locally and
/// logged as not fanned out, and events other instances raised meanwhile are lost to this
/// one. Thread-safe once the receivers are registered.
class redis_event_bus final : public event_bus {
public:
    /// `url` is `redis://host[:port]`; nothing connects before `start`.
    redis_event_bus(
        boost::asio::io_context& ioc, const std::string& url, std::atomic<std::uint64_t>& published
    );
    ~redis_event_bus() override;
    redis_event_bus(const redis_event_bus&) = delete;
    redis_event_bus& operator=(const redis_event_bus&) = delete;

    void publish(domain_event event) override;
    void on_deliver(delivery receiver) override { receivers_.push_back(std::move(receiver)); }
    /// Both connections are up and the subscription confirmed.
    bool healthy() const override { return healthy_; }
    std::string kind() const override { return "redis"; }

    /// Connects (and keeps reconnecting) in the background.
    void start() override;
    /// Closes the connections and stops reconnecting.
    void stop() override;

private:
    static void on_connect(const redisAsyncContext* context, int status);
    static void on_disconnect(const redisAsyncContext* context, int status);
    static void on_message(redisAsyncContext* context, void* reply, void* self);

    void connect();
    redisAsyncContext* open();
    void connected(const redisAsyncContext* context, bool ok);
    void lost(const redisAsyncContext* context);
    void receive(const redisReply& reply);
    void deliver(domain_event event) const;
    void update_health();

    redis_executor strand_;
    std::string host_;
    int port_ = 6379;
    std::string instance_;
    std::atomic<std::uint64_t>& published_;
    std::vector<delivery> receivers_;
    log::logger log_{"bus"};
    std::atomic<bool> healthy_{false};
    // The rest belongs to the strand.
    boost::asio::steady_timer retry_;
    std::chrono::milliseconds backoff_;
    redisAsyncContext* publisher_ = nullptr;
    redisAsyncContext* subscriber_ = nullptr;
    bool publisher_up_ = false;
    bool subscribed_ = false;
    bool retry_pending_ = false;
    bool stopped_ = false;
    bool was_healthy_ = false;
};

}  // namespace headcount::bus
