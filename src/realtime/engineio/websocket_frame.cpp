#include "realtime/engineio/websocket_frame.hpp"

#include "common/text.hpp"

namespace headcount::realtime::engineio::ws {
namespace {

constexpr unsigned char fin_bit = 0x80;
constexpr unsigned char reserved_bits = 0x70;
constexpr unsigned char mask_bit = 0x80;
constexpr std::size_t max_control_payload = 125;

bool is_control(opcode op) {
    return (static_cast<std::uint8_t>(op) & 0x8) != 0;
}

bool known(std::uint8_t op) {
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

void release(std::string& s) {
    s.clear();
    s.shrink_to_fit();
}

}  // namespace

header server_header(opcode op, std::size_t payload_size) {
    header h;
    h.bytes[0] = static_cast<unsigned char>(fin_bit | static_cast<std::uint8_t>(op));
    if (payload_size < 126) {
        h.bytes[1] = static_cast<unsigned char>(payload_size);
        h.size = 2;
    } else if (payload_size <= 0xFFFF) {
        h.bytes[1] = 126;
        h.bytes[2] = static_cast<unsigned char>(payload_size >> 8);
        h.bytes[3] = static_cast<unsigned char>(payload_size);
        h.size = 4;
    } else {
        h.bytes[1] = 127;
        auto n = static_cast<std::uint64_t>(payload_size);
        for (int i = 9; i >= 2; --i) {
            h.bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(n & 0xFF);
            n >>= 8;
        }
        h.size = 10;
    }
    return h;
}

std::string close_payload(close_code code) {
    const auto c = static_cast<std::uint16_t>(code);
    return {static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)};
}

std::optional<close_code> reader::feed(std::string_view bytes, std::vector<incoming>& out) {
    std::string_view data = bytes;
    if (!pending_.empty()) {
        pending_.append(bytes);
        data = pending_;
    }
    step s = step::done;
    while (!data.empty() && (s = next(data, out)) == step::done) {
    }
    if (s == step::failed)
        return failure_;
    // Keep only an incomplete frame's bytes, copied out of the caller's buffer.
    if (data.empty()) {
        release(pending_);
    } else if (pending_.empty()) {
        pending_.assign(data);
    } else {
        pending_.erase(0, pending_.size() - data.size());
    }
    return std::nullopt;
}

reader::step reader::next(std::string_view& data, std::vector<incoming>& out) {
    frame f;
    const auto read = read_frame(data, f);
    return read == step::done ? assemble(std::move(f), out) : read;
}

reader::step reader::read_frame(std::string_view& data, frame& f) {
    if (data.size() < 2)
        return step::need_more;
    const auto b0 = static_cast<unsigned char>(data[0]);
    const auto b1 = static_cast<unsigned char>(data[1]);
    f.fin = (b0 & fin_bit) != 0;
    const auto raw_op = static_cast<std::uint8_t>(b0 & 0x0F);
    failure_ = close_code::protocol_error;
    // No extension is negotiated, and client frames are always masked.
    if ((b0 & reserved_bits) != 0 || !known(raw_op) || (b1 & mask_bit) == 0)
        return step::failed;
    f.op = static_cast<opcode>(raw_op);
    std::size_t pos = 2;
    std::uint64_t length = b1 & 0x7F;
    if (length == 126 || length == 127) {
        const std::size_t width = length == 126 ? 2 : 8;
        if (data.size() < pos + width)
            return step::need_more;
        length = 0;
        for (std::size_t k = 0; k < width; ++k)
            length = (length << 8) | static_cast<unsigned char>(data[pos + k]);
        pos += width;
        // RFC 6455 5.2: the most significant bit of a 64-bit length must be 0.
        if ((length >> 63) != 0)
            return step::failed;
    }
    if (auto refused = check_length(f, length))
        return *refused;
    if (data.size() < pos + 4 + length)
        return step::need_more;
    const auto* key = reinterpret_cast<const unsigned char*>(data.data() + pos);
    pos += 4;
    f.payload.assign(data.substr(pos, static_cast<std::size_t>(length)));
    for (std::size_t k = 0; k < f.payload.size(); ++k)
        f.payload[k] = static_cast<char>(static_cast<unsigned char>(f.payload[k]) ^ key[k & 3]);
    data.remove_prefix(pos + static_cast<std::size_t>(length));
    return step::done;
}

std::optional<reader::step> reader::check_length(const frame& f, std::uint64_t length) {
    if (is_control(f.op)) {
        if (!f.fin || length > max_control_payload)
            return step::failed;
        return std::nullopt;
    }
    // Subtracting keeps a length near 2^64 from wrapping the sum round (so_far <= the limit).
    const std::uint64_t so_far = in_message_ ? message_.size() : 0;
    if (length > max_message_ - so_far) {
        failure_ = close_code::too_big;
        return step::failed;
    }
    return std::nullopt;
}

reader::step reader::assemble(frame f, std::vector<incoming>& out) {
    if (is_control(f.op)) {
        if (f.op == opcode::close && f.payload.size() == 1)
            return step::failed;
        out.push_back({f.op, std::move(f.payload)});
        return step::done;
    }
    if ((f.op == opcode::continuation) != in_message_)
        return step::failed;  // a continuation outside a message, or a new one inside
    if (in_message_) {
        message_.append(f.payload);
    } else {
        message_op_ = f.op;
        message_ = std::move(f.payload);
        in_message_ = true;
    }
    if (!f.fin)
        return step::done;
    in_message_ = false;
    if (message_op_ == opcode::text && !text::is_valid_utf8(message_)) {
        failure_ = close_code::invalid_payload;
        return step::failed;
    }
    out.push_back({message_op_, std::move(message_)});
    release(message_);
    return step::done;
}

}  // namespace headcount::realtime::engineio::ws
