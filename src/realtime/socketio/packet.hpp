#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace headcount::realtime::socketio {

/// Socket.IO v5 packet types; on the wire each is its digit.
enum class packet_type : std::uint8_t {
    connect,
    disconnect,
    event,
    ack,
    connect_error,
    binary_event,
    binary_ack,
};

/// A decoded packet. Binary values stay in `data` as their placeholders
/// (`{"_placeholder":true,"num":i}`); the buffers travel in separate Engine.IO messages.
struct packet {
    packet_type type = packet_type::event;
    std::string nsp = "/";
    std::optional<std::uint64_t> id;
    std::optional<boost::json::value> data;
    std::size_t attachments = 0;
};

/// The most binary attachments one packet may announce (as the reference decoder).
constexpr std::size_t max_attachments = 10;

/// Event names the protocol keeps for itself; a client may not emit them.
bool is_reserved_event(std::string_view name);

/// Decodes one packet from the text of an Engine.IO message, checking the payload's shape
/// for its type; nullopt when malformed (the connection is then closed).
std::optional<packet> decode(std::string_view text);

/// The text of an Engine.IO message carrying a packet: `4`, the type digit, `<n>-` for the
/// binary types, `<nsp>,` unless the namespace is `/`, the ack id, then compact JSON.
std::string encode(
    packet_type type,
    std::string_view nsp,
    std::optional<std::uint64_t> id,
    const boost::json::value* data,
    std::size_t attachments = 0
);

/// Whether `data` has a valid placeholder for every binary value: each names one of
/// `count` buffers (the reference refuses the packet otherwise).
bool placeholders_valid(const boost::json::value& data, std::size_t count);

/// Numbers the placeholders of `data` 0, 1, ... in document order, as the reference's
/// encoder does, and puts `buffers` in that order. Call with valid placeholders.
void renumber_placeholders(boost::json::value& data, std::vector<std::string>& buffers);

}  // namespace headcount::realtime::socketio
