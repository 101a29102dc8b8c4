#include "realtime/socketio/recovery.hpp"

#include <algorithm>

#include "common/crypto.hpp"

namespace headcount::realtime::socketio {

recovery_store::recovery_store(std::chrono::seconds window)
    : window_(window), prefix_(crypto::to_hex(crypto::random_bytes(4)) + ".") {}

engineio::frame recovery_store::append(
    const std::vector<std::string>& rooms,
    const std::function<std::string(std::string_view offset)>& encode,
    time_point now
) {
    const std::scoped_lock lock(mutex_);
    prune(now);
    const auto seq = ++seq_;
    auto f = engineio::text_frame(encode(prefix_ + std::to_string(seq)));
    log_.push_back({seq, now, rooms, f});
    return f;
}

std::uint64_t recovery_store::position() const {
    const std::scoped_lock lock(mutex_);
    return seq_;
}

void recovery_store::save(saved_socket s, time_point now) {
    const std::scoped_lock lock(mutex_);
    prune(now);
    auto pid = s.pid;
    sockets_.insert_or_assign(std::move(pid), parked{std::move(s), now});
}

std::optional<recovery_store::restored> recovery_store::restore(
    std::string_view pid,
    std::optional<std::string_view> offset,
    std::string_view nsp,
    time_point now
) {
    const std::scoped_lock lock(mutex_);
    prune(now);
    const auto it = sockets_.find(std::string(pid));
    if (it == sockets_.end() || it->second.socket.nsp != nsp)
        return std::nullopt;
    std::uint64_t after = it->second.socket.position;
    if (offset) {
        const auto seq = parse_offset(*offset);
        if (!seq)
            return std::nullopt;
        after = *seq;
    }
    restored r{std::move(it->second.socket), {}};
    sockets_.erase(it);
    const auto& rooms = r.socket.rooms;
    for (const auto& e : log_) {
        if (e.seq <= after)
            continue;
        const bool addressed = std::any_of(e.rooms.begin(), e.rooms.end(), [&](const auto& room) {
            return std::find(rooms.begin(), rooms.end(), room) != rooms.end();
        });
        if (addressed)
            r.missed.push_back(e.packet);
    }
    return r;
}

std::size_t recovery_store::logged() const {
    const std::scoped_lock lock(mutex_);
    return log_.size();
}

std::size_t recovery_store::saved() const {
    const std::scoped_lock lock(mutex_);
    return sockets_.size();
}

void recovery_store::prune(time_point now) {
    const auto oldest = now - window_;
    while (!log_.empty() && log_.front().at < oldest)
        log_.pop_front();
    std::erase_if(sockets_, [&](const auto& item) { return item.second.at < oldest; });
}

std::optional<std::uint64_t> recovery_store::parse_offset(std::string_view offset) const {
    if (!offset.starts_with(prefix_))
        return std::nullopt;
    offset.remove_prefix(prefix_.size());
    if (offset.empty() || offset.size() > 19)
        return std::nullopt;
    std::uint64_t seq = 0;
    for (const char c : offset) {
        if (c < '0' || c > '9')
            return std::nullopt;
        seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (seq > seq_)
        return std::nullopt;
    return seq;
}

}  // namespace headcount::realtime::socketio
