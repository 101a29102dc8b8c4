// `?before=` and Zoom's times: parsing never crashes, and a parsed time formats to a string
// that parses back to the same instant.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/time_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto t = headcount::parse_iso(text);
    if (!t)
        return 0;
    const auto again = headcount::parse_iso(headcount::format_iso(*t));
    if (!again || *again != *t)
        std::abort();
    return 0;
}
