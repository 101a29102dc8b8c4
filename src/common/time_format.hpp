#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace headcount {

/// `2024-01-16T10:00:00.000Z`: ISO-8601 in UTC with milliseconds, as JavaScript's toISOString.
std::string format_iso(timestamp t);
/// Appends format_iso(t) to out without a temporary string.
void append_iso(std::string& out, timestamp t);

/// Parses the ISO-8601 forms clients send: a date (`2024-01-16`), or a date and time with
/// optional seconds, fraction and zone (`Z`, `+02:00`, `+0200`; none means UTC).
std::optional<timestamp> parse_iso(std::string_view text);

}  // namespace headcount
