// Socket.IO packets as clients send them, before authentication: decoding never crashes,
// placeholders are checked against the attachments announced, and a packet that decodes
// (its placeholders renumbered as the server does before sending) survives our encoder.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "realtime/socketio/packet.hpp"
#include "same_json.hpp"

namespace {

namespace sio = headcount::realtime::socketio;

bool is_binary(sio::packet_type type) {
    return type == sio::packet_type::binary_event || type == sio::packet_type::binary_ack;
}

/// What the server would send back: the buffers in placeholder order, their count announced.
std::size_t renumbered(sio::packet& p) {
    if (!is_binary(p.type) || !p.data)
        return p.attachments;
    std::vector<std::string> buffers;
    for (std::size_t i = 0; i < p.attachments; ++i)
        buffers.push_back(std::to_string(i));
    sio::renumber_placeholders(*p.data, buffers);
    return buffers.size();
}

/// JSON has no infinities: our writer, as JSON.stringify, writes an overflowing number such
/// as `1e999` as null, so such a packet is not expected to come back the same.
bool has_infinity(const boost::json::value& v) {
    if (v.is_double())
        return !std::isfinite(v.get_double());
    if (v.is_array())
        return std::ranges::any_of(v.get_array(), has_infinity);
    if (v.is_object()) {
        return std::ranges::any_of(v.get_object(), [](const auto& member) {
            return has_infinity(member.value());
        });
    }
    return false;
}

void check_round_trip(sio::packet p) {
    if (p.data && has_infinity(*p.data))
        return;
    if (is_binary(p.type) && !(p.data && sio::placeholders_valid(*p.data, p.attachments)))
        return;
    const auto attachments = renumbered(p);
    // A buffer named twice is sent twice; past the limit no decoder takes the packet.
    if (attachments > sio::max_attachments)
        return;
    const auto* data = p.data ? &*p.data : nullptr;
    const auto text = sio::encode(p.type, p.nsp, p.id, data, attachments);
    if (text.empty() || text.front() != '4')
        std::abort();
    const auto again = sio::decode(std::string_view(text).substr(1));
    if (!again || again->type != p.type || again->nsp != p.nsp || again->id != p.id ||
        again->attachments != attachments || again->data.has_value() != p.data.has_value())
        std::abort();
    if (p.data && !headcount::fuzz::same(*p.data, *again->data))
        std::abort();
    if (is_binary(p.type) && !sio::placeholders_valid(*again->data, attachments))
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto p = sio::decode(text);
    if (!p)
        return 0;
    if (p->attachments > sio::max_attachments)
        std::abort();
    check_round_trip(std::move(*p));
    return 0;
}
