#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headcount::realtime::engineio::ws {

/// RFC 6455 opcodes.
enum class opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

/// The status codes the server closes with.
enum class close_code : std::uint16_t {
    normal = 1000,
    going_away = 1001,
    protocol_error = 1002,
    invalid_payload = 1007,
    too_big = 1009,
    try_again_later = 1013,
};

/// The header of an unmasked final server frame: 2, 4 or 10 bytes.
struct header {
    std::array<unsigned char, 10> bytes{};
    std::uint8_t size = 0;
};

header server_header(opcode op, std::size_t payload_size);
/// A close frame's payload: the status code in network order.
std::string close_payload(close_code code);

/// A complete client message (text or binary) or control frame (ping, pong, close).
struct incoming {
    opcode op = opcode::text;
    std::string payload;
};

/// Reassembles a client's messages from the bytes of its connection: frames must be masked,
/// control frames short and final, fragments in order, text valid UTF-8 and messages within
/// the size limit. Holds no memory between frames.
class reader {
public:
    explicit reader(std::size_t max_message) : max_message_(max_message) {}

    /// Consumes `bytes`, appending what completes to `out`; the close code of a violation
    /// (after which the connection is to be closed), else nullopt.
    std::optional<close_code> feed(std::string_view bytes, std::vector<incoming>& out);

private:
    enum class step { done, need_more, failed };
    /// One frame as read off the wire, unmasked.
    struct frame {
        bool fin = false;
        opcode op = opcode::text;
        std::string payload;
    };
    step next(std::string_view& data, std::vector<incoming>& out);
    /// Reads one frame's head and payload; `failed` with `failure_` set when it breaks a rule.
    step read_frame(std::string_view& data, frame& f);
    /// A control frame that is fragmented or too long, or a message over the size limit.
    std::optional<step> check_length(const frame& f, std::uint64_t length);
    /// Adds a frame to the message being reassembled, or hands a control frame out.
    step assemble(frame f, std::vector<incoming>& out);

    std::size_t max_message_;
    std::string pending_;  ///< the start of a frame not yet complete
    std::string message_;  ///< the fragments of an unfinished message
    opcode message_op_ = opcode::text;
    bool in_message_ = false;
    close_code failure_ = close_code::protocol_error;
};

}  // namespace headcount::realtime::engineio::ws
