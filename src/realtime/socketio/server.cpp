#include "realtime/socketio/server.hpp"

#include <algorithm>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "common/crypto.hpp"
#include "common/json.hpp"

namespace headcount::realtime::socketio {
namespace net = boost::asio;
using steady = timer_clock;

namespace {

const log::logger& logger() {
    static const log::logger log("realtime");
    return log;
}

std::string random_id() {
    return crypto::base64url_encode(crypto::random_bytes(15));
}

const boost::json::string* string_member(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

}  // namespace

/// The Socket.IO side of one Engine.IO session: decodes packets (collecting binary
/// attachments), routes them to the namespace sockets and connects namespaces. Owned by the
/// session and called on its strand; alive exactly while the session is open.
class client final : public engineio::connection {
public:
    client(server& srv, engineio::session& session) : server_(srv), session_(session) {
        session_.set_alarm(steady::now() + srv.settings().connect_timeout);
    }

    void on_message(engineio::packet& message) override {
        if (message.binary) {
            if (!partial_) {
                fail(engineio::close_reason::parse_error);
                return;
            }
            buffers_.push_back(std::move(message.data));
            if (buffers_.size() == partial_->attachments)
                complete();
            return;
        }
        if (partial_) {
            fail(engineio::close_reason::parse_error);
            return;
        }
        auto p = decode(message.data);
        if (!p) {
            fail(engineio::close_reason::parse_error);
            return;
        }
        if (p->attachments > 0) {
            partial_ = std::move(p);
            return;
        }
        std::vector<std::string> none;
        route(*p, none);
    }

    void on_close(engineio::close_reason why) override {
        auto sockets = std::move(sockets_);
        const bool recoverable = why != engineio::close_reason::parse_error;
        for (auto& s : sockets) {
            s->owner_ = nullptr;
            s->drop(engineio::to_string(why), recoverable);
        }
    }

    void on_alarm() override {
        if (sockets_.empty())
            fail(engineio::close_reason::forced_close);
    }

    /// `s` has left its namespace.
    void forget(const socket& s) {
        std::erase_if(sockets_, [&](const auto& item) { return item.get() == &s; });
    }

    /// The connection check of `space` has decided.
    void checked(nsp& space, const boost::json::object& auth, admission& verdict) {
        std::erase(connecting_, space.name());
        if (verdict.refusal) {
            refuse(space.name(), *verdict.refusal);
            return;
        }
        auto s = make_socket(space, random_id());
        s->data_ = std::move(verdict.data);
        connected(s, auth, {});
    }

private:
    void fail(engineio::close_reason why) { session_.close(why); }

    void complete() {
        auto p = std::move(*partial_);
        partial_.reset();
        auto buffers = std::move(buffers_);
        buffers_.clear();
        if (!p.data || !placeholders_valid(*p.data, buffers.size())) {
            fail(engineio::close_reason::parse_error);
            return;
        }
        route(p, buffers);
    }

    socket* find(std::string_view name) const {
        for (const auto& s : sockets_) {
            if (s->space().name() == name)
                return s.get();
        }
        return nullptr;
    }

    /// The first packet for a namespace must be its CONNECT, and nothing but events, acks
    /// and DISCONNECT may follow; anything else ends the connection.
    void route(packet& p, std::vector<std::string>& buffers) {
        auto* s = find(p.nsp);
        const bool connecting =
            std::find(connecting_.begin(), connecting_.end(), p.nsp) != connecting_.end();
        if (p.type == packet_type::connect) {
            if (s != nullptr || connecting)
                fail(engineio::close_reason::forced_close);
            else
                connect(p);
        } else if (s != nullptr && p.type != packet_type::connect_error) {
            s->on_packet(p, buffers);
        } else {
            fail(engineio::close_reason::forced_close);
        }
    }

    void connect(packet& p) {
        auto* space = server_.find(p.nsp);
        if (space == nullptr) {
            refuse(p.nsp, "Invalid namespace");
            return;
        }
        boost::json::object auth;
        if (p.data)
            auth = std::move(p.data->get_object());
        if (auto* store = server_.recovery()) {
            if (const auto* pid = string_member(auth, "pid")) {
                const auto* offset = string_member(auth, "offset");
                auto previous = store->restore(
                    *pid,
                    offset != nullptr ? std::optional<std::string_view>(*offset) : std::nullopt,
                    space->name(), steady::now()
                );
                if (previous) {
                    restore(*space, auth, *previous);
                    return;
                }
            }
        }
        if (!space->check_) {
            auto s = make_socket(*space, random_id());
            connected(s, auth, {});
            return;
        }
        connecting_.push_back(space->name());
        auto session = session_.shared_from_this();
        auto task = check(session, this, space, std::move(auth));
        net::co_spawn(session_.strand(), std::move(task), [](const std::exception_ptr& e) {
            if (e)
                logger().error("socket.io connection check ended abnormally");
        });
    }

    /// Runs the namespace's check; `self` may only be used while the session is open (the
    /// session owns the client).
    static net::awaitable<void> check(
        std::shared_ptr<engineio::session> session,
        client* self,
        nsp* space,
        boost::json::object auth
    ) {
        admission verdict;
        try {
            const connect_request request{auth, session->handshake()};
            verdict = co_await space->check_(request);
        } catch (const std::exception& e) {
            logger().error("socket.io connection check failed", {{"error", e.what()}});
            verdict.refusal = "Internal server error";
        }
        if (!session->closed())
            self->checked(*space, auth, verdict);
    }

    void restore(nsp& space, const boost::json::object& auth, recovery_store::restored& previous) {
        auto& saved = previous.socket;
        auto s = make_socket(space, std::move(saved.id), std::move(saved.pid));
        s->data_ = std::move(saved.data);
        s->position_ = saved.position;
        s->recovered_ = true;
        connected(s, auth, previous.missed, saved.rooms);
    }

    std::shared_ptr<socket> make_socket(nsp& space, std::string id, std::string pid = {}) {
        auto* store = server_.recovery();
        if (store != nullptr && pid.empty())
            pid = random_id();
        auto s = std::make_shared<socket>(
            space, *this, session_.shared_from_this(), std::move(id), std::move(pid)
        );
        if (store != nullptr)
            s->position_ = store->position();
        return s;
    }

    /// Announces a connected socket. Missed events go first: the client holds them until
    /// the CONNECT answer arrives, as the reference sends them.
    void connected(
        const std::shared_ptr<socket>& s,
        const boost::json::object& auth,
        const std::vector<engineio::frame>& missed,
        const std::vector<std::string>& rooms = {}
    ) {
        auto& space = s->space();
        sockets_.push_back(s);
        s->connected_ = true;
        ++space.connected_;
        for (const auto& room : rooms)
            s->join(room);
        session_.set_alarm(steady::time_point::max());
        for (const auto& f : missed)
            session_.send(f);
        boost::json::object reply;
        reply["sid"] = s->id();
        if (server_.recovery() != nullptr)
            reply["pid"] = s->pid_;
        const boost::json::value data(std::move(reply));
        session_.send(engineio::text_frame(encode(packet_type::connect, space.name(), {}, &data)));
        logger().debug(
            "socket.io socket connected", {{"socket", s->id()},
                                           {"nsp", space.name()},
                                           {"session", session_.serial()},
                                           {"recovered", s->recovered()}}
        );
        if (space.on_connection_)
            space.on_connection_(*s, auth);
    }

    void refuse(std::string_view name, std::string_view message) {
        boost::json::object body;
        body["message"] = message;
        const boost::json::value data(std::move(body));
        session_.send(engineio::text_frame(encode(packet_type::connect_error, name, {}, &data)));
    }

    server& server_;
    engineio::session& session_;
    std::vector<std::shared_ptr<socket>> sockets_;
    std::vector<std::string> connecting_;
    std::optional<packet> partial_;
    std::vector<std::string> buffers_;
};

void room_registry::join(const std::shared_ptr<socket>& s, const std::string& room) {
    const std::unique_lock lock(mutex_);
    rooms_[room].push_back(s);
}

void room_registry::leave(const socket& s, const std::string& room) {
    const std::unique_lock lock(mutex_);
    const auto it = rooms_.find(room);
    if (it == rooms_.end())
        return;
    auto& members = it->second;
    const auto found =
        std::find_if(members.begin(), members.end(), [&](const auto& m) { return m.get() == &s; });
    if (found != members.end()) {
        *found = std::move(members.back());
        members.pop_back();
    }
    if (members.empty())
        rooms_.erase(it);
}

std::vector<std::shared_ptr<socket>> room_registry::members(std::span<const std::string> rooms
) const {
    std::vector<std::shared_ptr<socket>> out;
    std::size_t filled = 0;
    {
        const std::shared_lock lock(mutex_);
        for (const auto& room : rooms) {
            const auto it = rooms_.find(room);
            if (it == rooms_.end())
                continue;
            ++filled;
            out.insert(out.end(), it->second.begin(), it->second.end());
        }
    }
    if (filled > 1) {
        // A socket in several of the rooms gets the event once.
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.get() < b.get();
        });
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
    return out;
}

std::size_t room_registry::size(const std::string& room) const {
    const std::shared_lock lock(mutex_);
    const auto it = rooms_.find(room);
    return it == rooms_.end() ? 0 : it->second.size();
}

socket::socket(
    nsp& space,
    client& owner,
    std::shared_ptr<engineio::session> session,
    std::string id,
    std::string pid
)
    : space_(space),
      owner_(&owner),
      session_(std::move(session)),
      id_(std::move(id)),
      pid_(std::move(pid)) {}

void socket::join(const std::string& room) {
    if (!connected_ || std::find(rooms_.begin(), rooms_.end(), room) != rooms_.end())
        return;
    rooms_.push_back(room);
    space_.rooms_.join(shared_from_this(), room);
}

void socket::leave(const std::string& room) {
    const auto it = std::find(rooms_.begin(), rooms_.end(), room);
    if (it == rooms_.end())
        return;
    rooms_.erase(it);
    space_.rooms_.leave(*this, room);
}

void socket::emit(
    std::string_view name, const boost::json::array& args, std::vector<std::string> attachments
) {
    boost::json::value data(boost::json::array{});
    auto& items = data.get_array();
    items.reserve(args.size() + 1);
    items.emplace_back(name);
    for (const auto& a : args)
        items.push_back(a);
    send(packet_type::event, std::nullopt, data, attachments);
}

void socket::emit_with_ack(
    std::string_view name,
    const boost::json::array& args,
    std::vector<std::string> attachments,
    ack_handler on_ack
) {
    boost::json::value data(boost::json::array{});
    auto& items = data.get_array();
    items.reserve(args.size() + 1);
    items.emplace_back(name);
    for (const auto& a : args)
        items.push_back(a);
    const auto id = next_ack_++;
    acks_.emplace_back(id, std::move(on_ack));
    send(packet_type::event, id, data, attachments);
}

void socket::acknowledge(
    const event& e, boost::json::array results, std::vector<std::string> attachments
) {
    if (!e.ack_id || !connected_)
        return;
    boost::json::value data(std::move(results));
    send(packet_type::ack, e.ack_id, data, attachments);
}

void socket::disconnect() {
    if (!connected_)
        return;
    session_->send(engineio::text_frame(encode(packet_type::disconnect, space_.name(), {}, nullptr))
    );
    drop("server namespace disconnect", false);
}

void socket::send(
    packet_type type,
    std::optional<std::uint64_t> id,
    boost::json::value& data,
    std::vector<std::string>& attachments
) {
    if (!connected_)
        return;
    if (!attachments.empty()) {
        renumber_placeholders(data, attachments);
        type = type == packet_type::ack ? packet_type::binary_ack : packet_type::binary_event;
    }
    session_->send(engineio::text_frame(encode(type, space_.name(), id, &data, attachments.size()))
    );
    for (auto& a : attachments)
        session_->send(engineio::binary_frame(std::move(a)));
}

void socket::on_packet(packet& p, std::vector<std::string>& attachments) {
    switch (p.type) {
        case packet_type::event:
        case packet_type::binary_event: {
            auto& items = p.data->get_array();
            event e;
            e.name = items.front().is_string() ? std::string(items.front().get_string())
                                               : json::to_string(items.front());
            e.args.reserve(items.size() - 1);
            for (std::size_t i = 1; i < items.size(); ++i)
                e.args.push_back(std::move(items[i]));
            e.attachments = std::move(attachments);
            e.ack_id = p.id;
            space_.dispatch(*this, e);
            break;
        }
        case packet_type::ack:
        case packet_type::binary_ack: {
            const auto it = std::find_if(acks_.begin(), acks_.end(), [&](const auto& a) {
                return p.id && a.first == *p.id;
            });
            if (it == acks_.end())
                return;
            auto handler = std::move(it->second);
            acks_.erase(it);
            handler(p.data->get_array(), attachments);
            break;
        }
        case packet_type::disconnect:
            drop("client namespace disconnect", false);
            break;
        case packet_type::connect:
        case packet_type::connect_error:
            break;
    }
}

void socket::drop(std::string_view reason, bool recoverable) {
    if (!connected_)
        return;
    connected_ = false;
    --space_.connected_;
    auto self = shared_from_this();
    if (auto* store = space_.srv().recovery(); store != nullptr && recoverable) {
        store->save({id_, pid_, space_.name(), rooms_, data_, position_}, steady::now());
    }
    logger().debug(
        "socket.io socket disconnected",
        {{"socket", id_}, {"nsp", space_.name()}, {"reason", reason}}
    );
    if (space_.on_disconnect_)
        space_.on_disconnect_(*this, reason);
    for (const auto& room : rooms_)
        space_.rooms_.leave(*this, room);
    rooms_.clear();
    acks_.clear();
    if (auto* owner = std::exchange(owner_, nullptr))
        owner->forget(*this);
}

void socket::deliver(const engineio::frame& f) {
    if (connected_)
        session_->send(f);
}

nsp::nsp(server& owner, std::string name) : owner_(owner), name_(std::move(name)) {}

void nsp::on(std::string event_name, event_handler h) {
    handlers_.insert_or_assign(std::move(event_name), std::move(h));
}

void nsp::dispatch(socket& s, event& e) const {
    const auto it = handlers_.find(e.name);
    if (it != handlers_.end())
        it->second(s, e);
}

std::size_t nsp::broadcast(
    const std::vector<std::string>& rooms,
    std::string_view name,
    const std::function<const boost::json::object&()>& payload
) {
    auto members = rooms_.members(rooms);
    auto* store = owner_.recovery();
    // Recovery replays an event only to a socket that was connected when it was sent or is
    // parked now (one that connects later starts after it): with neither, no one ever will.
    if (members.empty() && (store == nullptr || store->saved() == 0))
        return 0;
    // `42["name",payload` then `]`, or with recovery `,"<offset>"]`.
    std::string text = encode(packet_type::event, name_, std::nullopt, nullptr);
    text.push_back('[');
    json::write_string(text, name);
    text.push_back(',');
    json::write(text, payload());
    engineio::frame f;
    if (store != nullptr) {
        f = store->append(
            rooms,
            [&](std::string_view offset) {
                std::string with_offset = text;
                with_offset.push_back(',');
                json::write_string(with_offset, offset);
                with_offset.push_back(']');
                return with_offset;
            },
            steady::now()
        );
    } else {
        text.push_back(']');
        f = engineio::text_frame(std::move(text));
    }
    const auto count = members.size();
    // One task per session strand (there are a few), not one per socket.
    std::vector<std::pair<engineio::strand_type, std::vector<std::shared_ptr<socket>>>> batches;
    for (auto& s : members) {
        const auto& strand = s->session_->strand();
        auto batch = std::find_if(batches.begin(), batches.end(), [&](const auto& b) {
            return b.first == strand;
        });
        if (batch == batches.end()) {
            batches.emplace_back(strand, std::vector<std::shared_ptr<socket>>{});
            batch = std::prev(batches.end());
            batch->second.reserve(count);
        }
        batch->second.push_back(std::move(s));
    }
    for (auto& [strand, sockets] : batches) {
        net::post(strand, [sockets = std::move(sockets), f] {
            for (const auto& s : sockets)
                s->deliver(f);
        });
    }
    return count;
}

server::server(server_settings settings)
    : settings_(settings),
      recovery_(
          settings.recovery.count() > 0 ? std::make_unique<recovery_store>(settings.recovery)
                                        : nullptr
      ) {}

server::~server() = default;

nsp& server::add_namespace(std::string name) {
    namespaces_.push_back(std::make_unique<nsp>(*this, std::move(name)));
    return *namespaces_.back();
}

nsp* server::find(std::string_view name) const {
    for (const auto& n : namespaces_) {
        if (n->name() == name)
            return n.get();
    }
    return nullptr;
}

std::unique_ptr<engineio::connection> server::open(engineio::session& s) {
    return std::make_unique<client>(*this, s);
}

}  // namespace headcount::realtime::socketio
