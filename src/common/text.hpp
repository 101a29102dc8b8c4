#pragma once

#include <string>
#include <string_view>

namespace headcount::text {

/// A name as compared for matching: Unicode compatibility-decomposed, accents removed,
/// case-folded, whitespace runs collapsed to one space and trimmed
/// (`"  José   ÁLVAREZ "` → `"jose alvarez"`). Invalid UTF-8 gives an empty key.
std::string normalize_name(std::string_view name);

/// ASCII lower-casing; emails and usernames compare case-insensitively this way.
std::string ascii_lower(std::string_view s);

/// Whether `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

/// Leading and trailing ASCII whitespace removed.
std::string_view trim(std::string_view s);

/// The part of an email before the first `@`, lower-cased (`John.Doe@x.org` → `john.doe`).
std::string email_local_part(std::string_view email);

}  // namespace headcount::text
