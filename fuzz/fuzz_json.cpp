// Request bodies and Socket.IO payloads: parse never crashes, and our writer's output parses
// back to the same value (the writer is what clients read).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/json.hpp"
#include "same_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto value = headcount::json::parse(text);
    if (!value)
        return 0;
    const auto written = headcount::json::to_string(*value);
    const auto again = headcount::json::parse(written);
    if (!again || !headcount::fuzz::same(*value, *again))
        std::abort();
    return 0;
}
