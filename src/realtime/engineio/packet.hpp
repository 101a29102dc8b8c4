#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headcount::realtime::engineio {

/// Engine.IO v4 packet types; on the wire each is its digit.
enum class packet_type : std::uint8_t { open, close, ping, pong, message, upgrade, noop };

char to_char(packet_type type);

/// One received packet. A binary packet is always a message; its data are the raw bytes.
struct packet {
    packet_type type = packet_type::message;
    std::string data;
    bool binary = false;
};

/// One packet on its way out. The bytes are immutable and shared, so a broadcast is encoded
/// once for every session it goes to. A text frame holds the type digit and the payload
/// (`4hello`), a binary frame only the bytes of a message.
struct frame {
    std::shared_ptr<const std::string> bytes;
    bool binary = false;

    std::size_t size() const { return bytes->size(); }
};

frame text_frame(std::string encoded);
frame binary_frame(std::string bytes);
/// A message frame: `4` followed by `data`.
frame message_frame(std::string_view data);

/// The control frames every session sends, allocated once.
const frame& ping_frame();
const frame& noop_frame();
const frame& close_frame();
const frame& probe_answer_frame();

/// Parses a text packet (a WebSocket text frame or one record of a polling body), `b<base64>`
/// being a binary message; nullopt when it is empty, its type is unknown or its base64 bad.
std::optional<packet> parse_text(std::string_view text);

/// Parses a polling POST body: records separated by `\x1e`, a record `b<base64>` being a
/// binary message. nullopt when any record does not parse.
std::optional<std::vector<packet>> decode_payload(std::string_view body);

/// Appends `f` as one record of a polling GET body (binary as `b` + standard base64).
void append_record(std::string& body, const frame& f);

/// The open packet: `0` and JSON with exactly sid, upgrades, pingInterval, pingTimeout and
/// maxPayload (clients and the protocol suites check the key set).
std::string open_packet(
    std::string_view sid,
    bool can_upgrade,
    std::chrono::milliseconds ping_interval,
    std::chrono::milliseconds ping_timeout,
    std::size_t max_payload
);

/// The errors Engine.IO answers a request with instead of serving it (HTTP 400).
enum class request_error : std::uint8_t {
    unknown_transport = 0,
    unknown_sid = 1,
    bad_handshake_method = 2,
    bad_request = 3,
    unsupported_protocol_version = 5,
};

std::string_view message_of(request_error error);
/// `{"code":N,"message":"..."}`
std::string error_body(request_error error);

}  // namespace headcount::realtime::engineio
