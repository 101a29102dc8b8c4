#pragma once

#include <any>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "realtime/engineio/packet.hpp"

namespace headcount::realtime::socketio {

/// Connection state recovery: the broadcast events with their offsets, and the sockets that
/// went away unexpectedly, each kept for the recovery window. A socket that comes back
/// within it with its private id gets its id, rooms and data back and the events it missed.
/// Time is passed in, so tests need no sleeping. Thread-safe.
class recovery_store {
public:
    using time_point = timer_clock::time_point;

    explicit recovery_store(std::chrono::seconds window);

    /// Logs one broadcast to `rooms` under the next offset; `encode(offset)` makes its frame.
    engineio::frame append(
        const std::vector<std::string>& rooms,
        const std::function<std::string(std::string_view offset)>& encode,
        time_point now
    );
    /// The position of the latest logged event (a socket connecting now has missed none).
    std::uint64_t position() const;

    /// What a socket leaves behind.
    struct saved_socket {
        std::string id;
        std::string pid;
        std::string nsp;
        std::vector<std::string> rooms;
        std::any data;
        std::uint64_t position = 0;  ///< the log position when it first connected
    };
    void save(saved_socket s, time_point now);

    struct restored {
        saved_socket socket;
        std::vector<engineio::frame> missed;
    };
    /// Takes back the socket saved under `pid` for `nsp`, with the events after `offset` (or,
    /// without one, after its first connection) that went to one of its rooms. nullopt when
    /// the pid or the offset is unknown or the window has passed.
    std::optional<restored> restore(
        std::string_view pid,
        std::optional<std::string_view> offset,
        std::string_view nsp,
        time_point now
    );

    std::size_t logged() const;
    std::size_t saved() const;

private:
    struct entry {
        std::uint64_t seq;
        time_point at;
        std::vector<std::string> rooms;
        engineio::frame packet;
    };
    struct parked {
        saved_socket socket;
        time_point at;
    };

    void prune(time_point now);
    std::optional<std::uint64_t> parse_offset(std::string_view offset) const;

    const std::chrono::seconds window_;
    /// Offsets of other processes (an earlier run of this server) never match.
    const std::string prefix_;
    mutable std::mutex mutex_;
    std::deque<entry> log_;
    std::uint64_t seq_ = 0;
    std::unordered_map<std::string, parked> sockets_;
};

}  // namespace headcount::realtime::socketio
