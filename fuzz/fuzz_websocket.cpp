// A client's WebSocket bytes, as they arrive in reads of any size: the reader never crashes,
// hands out nothing over its limits, and reaches the same messages and verdict however the
// bytes are split. The first byte chooses the message size limit and the split points.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "realtime/engineio/websocket_frame.hpp"

namespace {

namespace ws = headcount::realtime::engineio::ws;

struct outcome {
    std::vector<ws::incoming> messages;
    std::optional<ws::close_code> failure;
};

outcome read_in_pieces(std::size_t limit, std::string_view bytes, std::size_t piece) {
    ws::reader reader(limit);
    outcome result;
    while (!bytes.empty() && !result.failure) {
        const auto n = std::min(piece, bytes.size());
        result.failure = reader.feed(bytes.substr(0, n), result.messages);
        bytes.remove_prefix(n);
    }
    return result;
}

bool within_limits(const outcome& o, std::size_t limit) {
    return std::ranges::all_of(o.messages, [&](const ws::incoming& m) {
        const bool control = (static_cast<std::uint8_t>(m.op) & 0x8) != 0;
        return m.payload.size() <= (control ? 125 : limit) && m.op != ws::opcode::continuation;
    });
}

bool same(const outcome& a, const outcome& b) {
    return a.failure == b.failure && a.messages.size() == b.messages.size() &&
           std::ranges::equal(a.messages, b.messages, [](const auto& x, const auto& y) {
               return x.op == y.op && x.payload == y.payload;
           });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::size_t limit = 16u << (data[0] & 0x7);  // 16 bytes to 2 KiB
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto whole = read_in_pieces(limit, bytes, bytes.size() + 1);
    if (!within_limits(whole, limit))
        std::abort();
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{2} + (data[0] >> 3), bytes.size() / 2 + 1}) {
        if (!same(whole, read_in_pieces(limit, bytes, piece)))
            std::abort();
    }
    return 0;
}
