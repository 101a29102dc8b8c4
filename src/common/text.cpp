#include "common/text.hpp"

#include <cstdlib>
#include <memory>

#include <utf8proc.h>

namespace headcount::text {

std::string normalize_name(std::string_view name) {
    utf8proc_uint8_t* mapped = nullptr;
    const auto options = static_cast<utf8proc_option_t>(
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
        UTF8PROC_STRIPMARK | UTF8PROC_LUMP | UTF8PROC_STRIPCC
    );
    const auto length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
        static_cast<utf8proc_ssize_t>(name.size()), &mapped, options
    );
    if (length < 0)
        return {};
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    std::string out;
    out.reserve(static_cast<std::size_t>(length));
    bool pending_space = false;
    for (utf8proc_ssize_t i = 0; i < length; ++i) {
        const auto c = static_cast<char>(mapped[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space)
            out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    const auto n = s.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        utf8proc_int32_t codepoint = 0;
        const auto used = utf8proc_iterate(
            reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
            static_cast<utf8proc_ssize_t>(n - i), &codepoint
        );
        if (used <= 0 || codepoint < 0)
            return false;
        i += static_cast<std::size_t>(used);
    }
    return true;
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view space = " \t\r\n\v\f";
    const auto first = s.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(space);
    return s.substr(first, last - first + 1);
}

std::string email_local_part(std::string_view email) {
    return ascii_lower(email.substr(0, email.find('@')));
}

}  // namespace headcount::text
