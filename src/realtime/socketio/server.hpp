#pragma once

#include <any>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/logging.hpp"
#include "realtime/engineio/session.hpp"
#include "realtime/socketio/packet.hpp"
#include "realtime/socketio/recovery.hpp"

namespace headcount::realtime::socketio {

struct server_settings {
    /// A connection that has joined no namespace by then is closed.
    std::chrono::milliseconds connect_timeout{45000};
    /// Connection state recovery window; 0 turns recovery off.
    std::chrono::seconds recovery{0};
};

/// An event as received: the arguments after its name and the binary buffers their
/// placeholders refer to.
struct event {
    std::string name;
    boost::json::array args;
    std::vector<std::string> attachments;
    std::optional<std::uint64_t> ack_id;
};

/// What a namespace's connection check decides about a CONNECT.
struct admission {
    /// Set: the connection is refused with CONNECT_ERROR `{"message": refusal}`.
    std::optional<std::string> refusal;
    /// Kept as the socket's data.
    std::any data;
};

/// The CONNECT being checked: its auth payload and the Engine.IO handshake it came through.
struct connect_request {
    const boost::json::object& auth;
    const engineio::handshake_info& handshake;
};

class socket;
class nsp;
class server;
class client;

using connect_check = std::function<boost::asio::awaitable<admission>(const connect_request&)>;
using connection_handler = std::function<void(socket&, const boost::json::object& auth)>;
using event_handler = std::function<void(socket&, event&)>;
using disconnect_handler = std::function<void(socket&, std::string_view reason)>;
using ack_handler = std::function<void(boost::json::array&, std::vector<std::string>&)>;

/// The sockets of a namespace by room. Thread-safe: broadcasts copy the members under a
/// shared lock and send after releasing it.
class room_registry {
public:
    void join(const std::shared_ptr<socket>& s, const std::string& room);
    void leave(const socket& s, const std::string& room);
    /// The sockets in any of `rooms`, each once.
    std::vector<std::shared_ptr<socket>> members(std::span<const std::string> rooms) const;
    std::size_t size(const std::string& room) const;

private:
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::vector<std::shared_ptr<socket>>> rooms_;
};

/// One client's connection to a namespace. Lives on its Engine.IO session's strand: every
/// member function but the accessors marked thread-safe must be called there.
class socket : public std::enable_shared_from_this<socket> {
public:
    socket(
        nsp& space,
        client& owner,
        std::shared_ptr<engineio::session> session,
        std::string id,
        std::string pid
    );

    /// Thread-safe.
    const std::string& id() const { return id_; }
    nsp& space() const { return space_; }
    const engineio::handshake_info& handshake() const { return session_->handshake(); }

    bool connected() const { return connected_; }
    /// Whether this socket took over a disconnected one's state (connection state recovery).
    bool recovered() const { return recovered_; }
    /// What the application keeps with the socket (Socket.IO's `socket.data`).
    std::any& data() { return data_; }
    const std::vector<std::string>& rooms() const { return rooms_; }

    void join(const std::string& room);
    void leave(const std::string& room);

    /// Sends an event. `args` may hold placeholders for `attachments`.
    void emit(
        std::string_view name,
        const boost::json::array& args,
        std::vector<std::string> attachments = {}
    );
    /// Sends an event the client is to acknowledge; `on_ack` gets its answer.
    void emit_with_ack(
        std::string_view name,
        const boost::json::array& args,
        std::vector<std::string> attachments,
        ack_handler on_ack
    );
    /// Answers a received event's acknowledgement request (nothing when it has none).
    void acknowledge(
        const event& e, boost::json::array results, std::vector<std::string> attachments = {}
    );
    /// Removes the socket from its namespace and tells the client (`41`); the client does
    /// not reconnect on its own.
    void disconnect();

private:
    friend class client;
    friend class nsp;

    void send(
        packet_type type,
        std::optional<std::uint64_t> id,
        boost::json::value& data,
        std::vector<std::string>& attachments
    );
    void on_packet(packet& p, std::vector<std::string>& attachments);
    /// Leaves the namespace; saves the state for recovery when `recoverable`.
    void drop(std::string_view reason, bool recoverable);
    /// A broadcast frame; posted to the strand.
    void deliver(const engineio::frame& f);

    nsp& space_;
    client* owner_;
    std::shared_ptr<engineio::session> session_;
    const std::string id_;
    const std::string pid_;
    std::vector<std::string> rooms_;
    std::any data_;
    std::vector<std::pair<std::uint64_t, ack_handler>> acks_;
    std::uint64_t next_ack_ = 1;
    std::uint64_t position_ = 0;
    bool connected_ = false;
    bool recovered_ = false;
};

/// A namespace (`namespace` is a keyword): its connection check, handlers and rooms.
/// Configure it before the server serves; afterwards only broadcast() and size() are used
/// from other threads.
class nsp {
public:
    nsp(server& owner, std::string name);

    const std::string& name() const { return name_; }
    server& owner() const { return owner_; }

    void check_connections(connect_check check) { check_ = std::move(check); }
    void on_connection(connection_handler h) { on_connection_ = std::move(h); }
    void on(std::string event_name, event_handler h);
    void on_disconnect(disconnect_handler h) { on_disconnect_ = std::move(h); }

    /// Sends event `name` with one argument to every socket in any of `rooms`, each once;
    /// the packet is encoded once and shared. Returns the number of sockets it was queued
    /// for. An event nobody can receive, now or by recovery, is not encoded. Thread-safe.
    std::size_t broadcast(
        const std::vector<std::string>& rooms,
        std::string_view name,
        const boost::json::object& payload
    ) {
        return broadcast(rooms, name, [&]() -> const boost::json::object& { return payload; });
    }
    /// The same, with the payload asked for only when someone can receive the event.
    std::size_t broadcast(
        const std::vector<std::string>& rooms,
        std::string_view name,
        const std::function<const boost::json::object&()>& payload
    );
    /// Connected sockets. Thread-safe.
    std::size_t size() const { return connected_.load(); }
    const room_registry& rooms() const { return rooms_; }

private:
    friend class socket;
    friend class client;

    const server& srv() const { return owner_; }
    void dispatch(socket& s, event& e) const;

    server& owner_;
    std::string name_;
    connect_check check_;
    connection_handler on_connection_;
    disconnect_handler on_disconnect_;
    std::unordered_map<std::string, event_handler> handlers_;
    room_registry rooms_;
    std::atomic<std::size_t> connected_{0};
};

/// Socket.IO v5 on top of Engine.IO: namespaces, acknowledgements, binary attachments,
/// rooms and connection state recovery.
class server final : public engineio::application {
public:
    explicit server(server_settings settings);
    ~server() override;

    /// Adds a namespace (`/`, `/custom`); before serving.
    nsp& add_namespace(std::string name);
    nsp* find(std::string_view name) const;

    std::unique_ptr<engineio::connection> open(engineio::session& s) override;

    const server_settings& settings() const { return settings_; }
    /// Null when recovery is off.
    recovery_store* recovery() const { return recovery_.get(); }

private:
    server_settings settings_;
    std::unique_ptr<recovery_store> recovery_;
    std::vector<std::unique_ptr<nsp>> namespaces_;
};

}  // namespace headcount::realtime::socketio
