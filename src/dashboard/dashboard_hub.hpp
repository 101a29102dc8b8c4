#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>

#include "auth/user.hpp"
#include "common/domain_event.hpp"
#include "common/errors.hpp"
#include "common/logging.hpp"
#include "common/metrics.hpp"
#include "config/settings.hpp"
#include "realtime/engineio/server.hpp"
#include "realtime/socketio/server.hpp"

namespace headcount::dashboard {

/// Checks a bearer token (without `Bearer `) and loads its user with the role from storage;
/// the application passes the HTTP pipeline's, so sockets and requests agree.
using token_verifier = std::function<boost::asio::awaitable<outcome<auth::user>>(std::string_view)>;

/// The token of a Socket.IO connection: CONNECT's `auth.token`, else the handshake's
/// `Authorization: Bearer` header, else its `token` query parameter (CONTRACT section 4).
std::optional<std::string> token_of(
    const boost::json::object& auth, const realtime::engineio::handshake_info& handshake
);

/// Room names. Admins sit in `admins` (every event) until they subscribe to meetings
/// (`meeting:<id>`); users sit in `user:<id>` (the events about their own sessions).
std::string meeting_room(std::string_view meeting_id);
std::string user_room(std::string_view user_id);
inline constexpr std::string_view admins_room = "admins";

/// The rooms a domain event goes to: the admins who have not narrowed to meetings, those
/// subscribed to its meeting, and each user it is about.
std::vector<std::string> rooms_for(const domain_event& e);

/// The Socket.IO service the dashboards listen to at `/socket.io/`: authenticates each
/// connection, puts it in its rooms, answers `subscribe`/`unsubscribe`, and delivers every
/// domain event to the sockets it is for (encoded once, shared by all of them).
class dashboard_hub {
public:
    dashboard_hub(
        boost::asio::io_context& ioc,
        const config::realtime_settings& settings,
        token_verifier verify,
        metrics& stats
    );

    http::raw_endpoint& endpoint() { return endpoint_; }

    /// Queues `e` for its sockets; returns at once. Thread-safe (storage calls it after a
    /// commit, from one of its threads).
    void deliver(domain_event e);
    /// Closes every session (SIGTERM). Thread-safe.
    void close_all();
    /// WebSockets still open; shutdown waits for them. Thread-safe.
    std::size_t open_websockets() const { return endpoint_.open_websockets(); }

private:
    struct viewer {
        user_id id;
        bool admin = false;
    };
    void broadcast_queued();

    boost::asio::awaitable<realtime::socketio::admission> admit(
        const realtime::socketio::connect_request& r
    ) const;
    void on_connection(realtime::socketio::socket& s) const;
    static void change_subscription(
        realtime::socketio::socket& s, realtime::socketio::event& e, bool subscribe
    );

    boost::asio::io_context& ioc_;
    token_verifier verify_;
    realtime::socketio::server io_;
    realtime::socketio::nsp& main_;
    std::atomic<std::uint64_t>& delivered_;
    realtime::engineio::server endpoint_;
    std::mutex queued_mutex_;
    /// Events not broadcast yet, in publication order.
    std::vector<domain_event> queued_;
    log::logger log_{"realtime"};
};

}  // namespace headcount::dashboard
