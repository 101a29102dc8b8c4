// Engine.IO packets as clients send them: a WebSocket text frame or a polling POST body.
// Parsing never crashes, and what parses survives our encoding (the frames and polling
// records the server writes) unchanged.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "realtime/engineio/packet.hpp"

namespace {

namespace eio = headcount::realtime::engineio;

bool same(const eio::packet& a, const eio::packet& b) {
    return a.type == b.type && a.data == b.data && a.binary == b.binary;
}

eio::frame encoded(const eio::packet& p) {
    if (p.binary)
        return eio::binary_frame(p.data);
    return eio::text_frame(eio::to_char(p.type) + p.data);
}

void check_text(std::string_view text) {
    const auto p = eio::parse_text(text);
    if (!p)
        return;
    std::string record;
    eio::append_record(record, encoded(*p));
    const auto again = eio::parse_text(record);
    if (!again || !same(*p, *again))
        std::abort();
}

void check_payload(std::string_view body) {
    const auto packets = eio::decode_payload(body);
    if (!packets)
        return;
    if (packets->empty())
        std::abort();
    std::string written;
    for (const auto& p : *packets)
        eio::append_record(written, encoded(p));
    const auto again = eio::decode_payload(written);
    if (!again || again->size() != packets->size())
        std::abort();
    for (std::size_t i = 0; i < packets->size(); ++i) {
        if (!same((*packets)[i], (*again)[i]))
            std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_text(text);
    check_payload(text);
    return 0;
}
