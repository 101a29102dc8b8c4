#include "dashboard/dashboard_hub.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/array.hpp>
#include <boost/url/parse_query.hpp>

#include "common/json.hpp"

namespace headcount::dashboard {
namespace net = boost::asio;

namespace {

constexpr std::string_view meeting_prefix = "meeting:";
constexpr std::string_view bearer = "Bearer ";
/// A connection that joins no namespace in this time is closed (the reference's default).
constexpr std::chrono::milliseconds connect_timeout{45000};

std::optional<std::string> query_token(std::string_view query) {
    const auto params = boost::urls::parse_query(query);
    if (!params)
        return std::nullopt;
    for (const auto& p : *params) {
        if (p.key.decode() == "token" && !p.value.empty())
            return p.value.decode();
    }
    return std::nullopt;
}

realtime::engineio::settings engine_settings(const config::realtime_settings& s) {
    realtime::engineio::settings e;
    e.ping_interval = s.ping_interval;
    e.ping_timeout = s.ping_timeout;
    e.max_payload = s.max_payload;
    e.send_queue_limit = s.send_queue_limit;
    e.cors_origins = s.cors_origins;
    return e;
}

boost::json::object failure(std::string_view code, std::string_view message) {
    return {{"success", false}, {"code", code}, {"message", message}};
}

/// A meetingId given as a string or an integer, if it is a valid meeting id.
std::optional<std::string> meeting_id_of(const boost::json::array& args) {
    if (args.empty() || !args.front().is_object())
        return std::nullopt;
    const auto* v = args.front().get_object().if_contains("meetingId");
    if (v == nullptr)
        return std::nullopt;
    std::string id;
    if (v->is_string())
        id = std::string(v->get_string());
    else if (v->is_int64() || v->is_uint64())
        id = json::to_string(*v);
    if (!is_valid_meeting_id(id))
        return std::nullopt;
    return id;
}

}  // namespace

std::optional<std::string> token_of(
    const boost::json::object& auth, const realtime::engineio::handshake_info& handshake
) {
    if (const auto* t = auth.if_contains("token"); t != nullptr && t->is_string()) {
        std::string_view token = t->get_string();
        if (token.starts_with(bearer))
            token.remove_prefix(bearer.size());
        if (!token.empty())
            return std::string(token);
    }
    const std::string_view header = handshake.authorization;
    if (header.starts_with(bearer) && header.size() > bearer.size())
        return std::string(header.substr(bearer.size()));
    return query_token(handshake.query);
}

std::string meeting_room(std::string_view meeting_id) {
    return std::string(meeting_prefix) + std::string(meeting_id);
}

std::string user_room(std::string_view user_id) {
    return "user:" + std::string(user_id);
}

std::vector<std::string> rooms_for(const domain_event& e) {
    std::vector<std::string> rooms;
    rooms.reserve(2 + e.user_ids.size());
    rooms.emplace_back(admins_room);
    if (!e.meeting_id.empty())
        rooms.push_back(meeting_room(e.meeting_id));
    for (const auto& id : e.user_ids)
        rooms.push_back(user_room(id));
    return rooms;
}

dashboard_hub::dashboard_hub(
    net::io_context& ioc,
    const config::realtime_settings& settings,
    token_verifier verify,
    metrics& stats
)
    : ioc_(ioc),
      verify_(std::move(verify)),
      io_({connect_timeout, settings.recovery}),
      main_(io_.add_namespace("/")),
      delivered_(stats.counter(
          "headcount_socketio_events_delivered_total",
          "Domain events queued for a Socket.IO socket, counted once per socket."
      )),
      endpoint_(
          ioc,
          "/socket.io/",
          engine_settings(settings),
          io_,
          stats.counter(
              "headcount_socketio_slow_consumers_dropped_total",
              "Socket.IO connections dropped because their send queue overflowed."
          )
      ) {
    stats.gauge("headcount_socketio_connected_sockets", "Connected Socket.IO sockets.", [this] {
        return static_cast<double>(main_.size());
    });
    log_.info(
        "socket.io ready", {{"path", "/socket.io/"},
                            {"pingIntervalMs", settings.ping_interval.count()},
                            {"pingTimeoutMs", settings.ping_timeout.count()},
                            {"recoverySeconds", settings.recovery.count()},
                            {"maxPayload", settings.max_payload},
                            {"sendQueueLimit", settings.send_queue_limit},
                            {"corsOrigins", settings.cors_origins.size()}}
    );
    main_.check_connections([this](const realtime::socketio::connect_request& r) {
        return admit(r);
    });
    main_.on_connection([this](realtime::socketio::socket& s, const boost::json::object&) {
        on_connection(s);
    });
    main_.on("subscribe", [](realtime::socketio::socket& s, realtime::socketio::event& e) {
        change_subscription(s, e, true);
    });
    main_.on("unsubscribe", [](realtime::socketio::socket& s, realtime::socketio::event& e) {
        change_subscription(s, e, false);
    });
}

void dashboard_hub::deliver(domain_event e) {
    // Encoded and fanned out on an I/O thread: the caller (storage, answering requests once
    // they are durable) is not held up. A burst of events (one commit's) takes one hand-off
    // to an I/O thread, not one each.
    bool first = false;
    {
        const std::scoped_lock lock(queued_mutex_);
        first = queued_.empty();
        queued_.push_back(std::move(e));
    }
    if (first)
        net::post(ioc_, [this] { broadcast_queued(); });
}

void dashboard_hub::broadcast_queued() {
    std::vector<domain_event> events;
    {
        const std::scoped_lock lock(queued_mutex_);
        events.swap(queued_);
    }
    for (const auto& e : events) {
        delivered_ += main_.broadcast(rooms_for(e), e.name, [&]() -> const boost::json::object& {
            return e.payload.get();
        });
    }
}

void dashboard_hub::close_all() {
    endpoint_.close_all(realtime::engineio::close_reason::server_shutdown);
}

net::awaitable<realtime::socketio::admission> dashboard_hub::admit(
    const realtime::socketio::connect_request& r
) const {
    realtime::socketio::admission verdict;
    const auto token = token_of(r.auth, r.handshake);
    if (!token) {
        verdict.refusal = "Invalid or expired token";
        co_return verdict;
    }
    const auto user = co_await verify_(*token);
    if (!user) {
        verdict.refusal = user.error().message;
        co_return verdict;
    }
    verdict.data = viewer{user->id, user->is_admin()};
    co_return verdict;
}

void dashboard_hub::on_connection(realtime::socketio::socket& s) const {
    const auto& who = std::any_cast<const viewer&>(s.data());
    log_.debug(
        "dashboard socket connected", {{"socket", s.id()},
                                       {"userId", who.id.value()},
                                       {"admin", who.admin},
                                       {"recovered", s.recovered()}}
    );
    // A recovered socket has its rooms (and subscriptions) back already.
    if (s.recovered())
        return;
    if (who.admin)
        s.join(std::string(admins_room));
    else
        s.join(user_room(std::to_string(who.id.value())));
}

void dashboard_hub::change_subscription(
    realtime::socketio::socket& s, realtime::socketio::event& e, bool subscribe
) {
    const auto& who = std::any_cast<const viewer&>(s.data());
    if (!who.admin) {
        s.acknowledge(e, {failure("forbidden", "Admin privileges required")});
        return;
    }
    const auto meeting = meeting_id_of(e.args);
    if (!meeting) {
        s.acknowledge(e, {failure("validation_failed", "Invalid meetingId")});
        return;
    }
    if (subscribe) {
        s.join(meeting_room(*meeting));
        s.leave(std::string(admins_room));
    } else {
        s.leave(meeting_room(*meeting));
    }
    boost::json::array meetings;
    for (const auto& room : s.rooms()) {
        if (room.starts_with(meeting_prefix))
            meetings.emplace_back(room.substr(meeting_prefix.size()));
    }
    // An admin with no meeting left goes back to every event.
    if (meetings.empty())
        s.join(std::string(admins_room));
    boost::json::object answer{{"success", true}, {"meetingIds", std::move(meetings)}};
    s.acknowledge(e, {std::move(answer)});
}

}  // namespace headcount::dashboard
