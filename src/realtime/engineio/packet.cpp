#include "realtime/engineio/packet.hpp"

#include "common/crypto.hpp"
#include "common/json.hpp"

namespace headcount::realtime::engineio {
namespace {

constexpr char record_separator = '\x1e';

std::optional<packet_type> type_of(char digit) {
    switch (digit) {
        case '0':
            return packet_type::open;
        case '1':
            return packet_type::close;
        case '2':
            return packet_type::ping;
        case '3':
            return packet_type::pong;
        case '4':
            return packet_type::message;
        case '5':
            return packet_type::upgrade;
        case '6':
            return packet_type::noop;
        default:
            return std::nullopt;
    }
}

}  // namespace

char to_char(packet_type type) {
    return static_cast<char>('0' + static_cast<int>(type));
}

frame text_frame(std::string encoded) {
    return {std::make_shared<const std::string>(std::move(encoded)), false};
}

frame binary_frame(std::string bytes) {
    return {std::make_shared<const std::string>(std::move(bytes)), true};
}

frame message_frame(std::string_view data) {
    std::string text;
    text.reserve(data.size() + 1);
    text.push_back(to_char(packet_type::message));
    text.append(data);
    return text_frame(std::move(text));
}

const frame& ping_frame() {
    static const frame f = text_frame("2");
    return f;
}

const frame& noop_frame() {
    static const frame f = text_frame("6");
    return f;
}

const frame& close_frame() {
    static const frame f = text_frame("1");
    return f;
}

const frame& probe_answer_frame() {
    static const frame f = text_frame("3probe");
    return f;
}

std::optional<packet> parse_text(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    if (text.front() == 'b') {
        auto bytes = crypto::base64_decode(text.substr(1));
        if (!bytes)
            return std::nullopt;
        return packet{packet_type::message, std::move(*bytes), true};
    }
    const auto type = type_of(text.front());
    if (!type)
        return std::nullopt;
    return packet{*type, std::string(text.substr(1)), false};
}

std::optional<std::vector<packet>> decode_payload(std::string_view body) {
    std::vector<packet> packets;
    while (true) {
        const auto end = body.find(record_separator);
        auto p = parse_text(body.substr(0, end));
        if (!p)
            return std::nullopt;
        packets.push_back(std::move(*p));
        if (end == std::string_view::npos)
            return packets;
        body.remove_prefix(end + 1);
    }
}

void append_record(std::string& body, const frame& f) {
    if (!body.empty())
        body.push_back(record_separator);
    if (f.binary) {
        body.push_back('b');
        body.append(crypto::base64_encode(*f.bytes));
    } else {
        body.append(*f.bytes);
    }
}

std::string open_packet(
    std::string_view sid,
    bool can_upgrade,
    std::chrono::milliseconds ping_interval,
    std::chrono::milliseconds ping_timeout,
    std::size_t max_payload
) {
    std::string out = R"(0{"sid":)";
    json::write_string(out, sid);
    out.append(can_upgrade ? R"(,"upgrades":["websocket"])" : R"(,"upgrades":[])");
    out.append(R"(,"pingInterval":)").append(std::to_string(ping_interval.count()));
    out.append(R"(,"pingTimeout":)").append(std::to_string(ping_timeout.count()));
    out.append(R"(,"maxPayload":)").append(std::to_string(max_payload));
    out.push_back('}');
    return out;
}

std::string_view message_of(request_error error) {
    switch (error) {
        case request_error::unknown_transport:
            return "Transport unknown";
        case request_error::unknown_sid:
            return "Session ID unknown";
        case request_error::bad_handshake_method:
            return "Bad handshake method";
        case request_error::bad_request:
            return "Bad request";
        case request_error::unsupported_protocol_version:
            return "Unsupported protocol version";
    }
    return "Bad request";
}

std::string error_body(request_error error) {
    std::string out = "{\"code\":";
    out.append(std::to_string(static_cast<int>(error)));
    out.append(",\"message\":");
    json::write_string(out, message_of(error));
    out.push_back('}');
    return out;
}

}  // namespace headcount::realtime::engineio
