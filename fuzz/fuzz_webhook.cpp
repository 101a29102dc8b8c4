// Signed Zoom deliveries are still untrusted JSON: reading the event and the participant's
// identity never crashes, and an identity always has a key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/json.hpp"
#include "zoom/webhook_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto body = headcount::json::parse(text);
    if (!body)
        return 0;
    const auto event = headcount::zoom::parse_webhook(*body);
    if (!event || !event->has_participant)
        return 0;
    if (const auto who = headcount::attendance::identify(event->person); who && who->key.empty())
        std::abort();
    return 0;
}
