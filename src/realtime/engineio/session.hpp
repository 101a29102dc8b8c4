#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "common/logging.hpp"
#include "common/timer.hpp"
#include "realtime/engineio/packet.hpp"

namespace headcount::realtime::engineio {

/// One Engine.IO endpoint's settings.
struct settings {
    std::chrono::milliseconds ping_interval{25000};
    std::chrono::milliseconds ping_timeout{20000};
    /// A probe WebSocket that has not sent `5` by then is dropped and polling goes on.
    std::chrono::milliseconds upgrade_timeout{10000};
    std::size_t max_payload = 1000000;      ///< largest POST body or WebSocket message
    std::size_t send_queue_limit = 1024;    ///< frames queued before the session is dropped
    std::vector<std::string> cors_origins;  ///< `*` allows any origin
    /// Strands the sessions are spread over (0: one per core). A broadcast posts one task per
    /// strand rather than one per session.
    unsigned strands = 0;
};

/// Why a session ended; the names are Socket.IO's disconnect reasons.
enum class close_reason : std::uint8_t {
    client_close,     ///< the client sent `1` or closed its WebSocket
    transport_error,  ///< a pending GET was abandoned, a write failed, a protocol error
    ping_timeout,
    parse_error,
    forced_close,   ///< the application closed it (Socket.IO protocol violation, timeout)
    slow_consumer,  ///< its send queue overflowed
    server_shutdown,
};

std::string_view to_string(close_reason reason);

/// The request a session was opened with (Socket.IO's `socket.handshake`), kept small: the
/// query string and the Authorization header are all the applications read.
struct handshake_info {
    std::string query;
    std::string authorization;
};

/// The WebSocket side of a session (websocket_transport). Called on the session's strand.
class websocket_link {
public:
    virtual ~websocket_link() = default;
    /// Writes `f`, or queues it while the connection cannot take more; false when the queue
    /// is full.
    virtual bool send(const frame& f) = 0;
    /// Ends the WebSocket.
    virtual void close(close_reason why) = 0;
};

/// What runs on top of a session (Socket.IO, or the conformance fixture's echo). Called on
/// the session's strand; owned by the session until it closes.
class connection {
public:
    virtual ~connection() = default;
    virtual void on_message(packet& message) = 0;
    /// The session has ended; no more calls follow.
    virtual void on_close(close_reason why) = 0;
    /// The deadline set with session::set_alarm has come.
    virtual void on_alarm() {}
};

class session;

using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;

/// Creates the connection of each new session.
class application {
public:
    virtual ~application() = default;
    virtual std::unique_ptr<connection> open(session& s) = 0;
};

/// A GET held open until its session has something to say; lives in the GET's coroutine.
struct pending_poll {
    explicit pending_poll(const strand_type& strand)
        : wake(strand, std::chrono::steady_clock::time_point::max()) {}

    boost::asio::steady_timer wake;  ///< cancelled when `body` is ready
    std::string body;
    bool answered = false;
};

/// The sessions of one endpoint and what they share. Thread-safe.
class session_registry {
public:
    /// `dropped_slow` counts the sessions dropped because their send queue overflowed.
    session_registry(
        boost::asio::io_context& ioc,
        settings config,
        application& app,
        std::atomic<std::uint64_t>& dropped_slow
    );

    const settings& config() const { return config_; }
    application& app() { return app_; }
    boost::asio::io_context& context() { return ioc_; }

    /// The strand for the next session: sessions are spread over a few.
    strand_type next_strand();
    /// A new session with a random id, registered under it; start it on `strand`.
    std::shared_ptr<session> create(strand_type strand, bool websocket, handshake_info info);
    std::shared_ptr<session> find(std::string_view id) const;
    void remove(const session& s);
    /// Closes every session (each on its own strand).
    void close_all(close_reason why);
    std::size_t size() const;

    void count_dropped_slow() { ++dropped_slow_; }

private:
    boost::asio::io_context& ioc_;
    settings config_;
    application& app_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<session>> sessions_;
    std::atomic<std::uint64_t>& dropped_slow_;
    std::atomic<std::uint64_t> next_serial_{0};
    std::vector<strand_type> strands_;
};

/// One Engine.IO session: its send queue, heartbeat, transport (long-polling, WebSocket, the
/// upgrade between them) and the connection on top. Everything but the accessors marked
/// thread-safe runs on `strand()`; others post there. Kept alive by the registry while open
/// and by its transports' pending operations.
class session : public std::enable_shared_from_this<session> {
public:
    using clock = timer_clock;

    session(
        session_registry& registry,
        std::string id,
        std::uint64_t serial,
        strand_type strand,
        bool websocket,
        handshake_info info
    );

    /// Thread-safe. The id is a credential: logs name the session by its serial number.
    const std::string& id() const { return id_; }
    std::uint64_t serial() const { return serial_; }
    const strand_type& strand() const { return strand_; }
    const handshake_info& handshake() const { return handshake_; }
    const settings& config() const { return registry_.config(); }

    /// Queues the open packet, starts the heartbeat and opens the application's connection.
    void start();
    /// Queues `f`; false when the session is closed, or is closed now because its queue is full.
    bool send(const frame& f);
    /// Ends the session: the transports are closed and the connection is told.
    void close(close_reason why);
    bool closed() const { return closed_; }
    /// Calls connection::on_alarm at `when` (one alarm at a time; `time_point::max()` clears).
    void set_alarm(clock::time_point when);

    /// A GET: nullopt when it is served (`poll.answered`, or held until then: wait on
    /// `poll.wake`), else the error to answer with.
    std::optional<request_error> begin_poll(pending_poll& poll);
    /// The GET is done; `client_gone` when its connection dropped while it was held.
    void end_poll(pending_poll& poll, bool client_gone);
    /// A POST: nullopt when its body may be read and handed to receive_payload.
    std::optional<request_error> begin_post();
    /// Handles a POST body; false when it does not parse (the session is then closed).
    bool receive_payload(std::string_view body);
    void end_post() { post_active_ = false; }

    /// A session that started on a WebSocket.
    void attach_websocket(std::shared_ptr<websocket_link> ws);
    /// A WebSocket to upgrade to; false when the session cannot take one (the caller closes it).
    bool begin_probe(std::shared_ptr<websocket_link> ws);
    void on_websocket_packet(const websocket_link& from, packet& p);
    /// `which` closed or failed: the session ends when it was its transport, an upgrade
    /// attempt only drops the probe.
    void on_websocket_failed(const websocket_link& which, close_reason why);

private:
    void overflow();
    void handle(packet& p);
    void answer_poll(const frame* instead);
    void abandon_probe();
    void finish_upgrade();
    void arm();
    void on_timer();

    session_registry& registry_;
    const std::string id_;
    const std::uint64_t serial_;
    const strand_type strand_;
    const handshake_info handshake_;
    std::unique_ptr<connection> connection_;
    std::vector<frame> queue_;
    pending_poll* poll_ = nullptr;
    std::shared_ptr<websocket_link> ws_;
    std::shared_ptr<websocket_link> probe_;
    timer timer_;
    clock::time_point armed_for_ = clock::time_point::max();
    clock::time_point ping_at_ = clock::time_point::max();
    clock::time_point pong_deadline_ = clock::time_point::max();
    clock::time_point upgrade_deadline_ = clock::time_point::max();
    clock::time_point alarm_ = clock::time_point::max();
    bool websocket_;
    bool upgrading_ = false;
    bool post_active_ = false;
    bool closed_ = false;
};

}  // namespace headcount::realtime::engineio
