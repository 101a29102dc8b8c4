#include "common/json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include <boost/json/parse.hpp>

namespace headcount::json {

namespace {

/// Characters JSON.stringify escapes: control characters, quote and backslash.
constexpr std::array<bool, 256> needs_escape = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[c] = true;
    table['"'] = true;
    table['\\'] = true;
    return table;
}();

}  // namespace

void write_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (!needs_escape[c])
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        out.push_back('\\');
        switch (c) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '\b':
                out.push_back('b');
                break;
            case '\f':
                out.push_back('f');
                break;
            case '\n':
                out.push_back('n');
                break;
            case '\r':
                out.push_back('r');
                break;
            case '\t':
                out.push_back('t');
                break;
            default:
                out.append("u00");
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 0xf]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

void write_number(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out.append("null");
        return;
    }
    if (d == 0) {
        out.push_back('0');  // JavaScript prints -0 as 0 too
        return;
    }
    // Shortest round-trip digits and exponent, then laid out by ECMAScript's rules:
    // plain notation for exponents in [-7, 21), scientific outside.
    char sci[32];
    auto [end, ec] = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
    std::string_view text(sci, static_cast<std::size_t>(end - sci));
    const bool negative = text.front() == '-';
    if (negative)
        text.remove_prefix(1);
    const auto e_pos = text.find('e');
    std::string digits;
    digits.push_back(text[0]);
    if (e_pos > 1)
        digits.append(text.substr(2, e_pos - 2));
    int exponent = 0;
    std::from_chars(
        text.data() + e_pos + 1 + (text[e_pos + 1] == '+' ? 1 : 0), text.data() + text.size(),
        exponent
    );
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;  // position of the decimal point relative to the digits
    if (negative)
        out.push_back('-');
    if (k <= n && n <= 21) {
        out.append(digits);
        out.append(static_cast<std::size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(digits, 0, static_cast<std::size_t>(n));
        out.push_back('.');
        out.append(digits, static_cast<std::size_t>(n));
    } else if (-6 < n && n <= 0) {
        out.append("0.");
        out.append(static_cast<std::size_t>(-n), '0');
        out.append(digits);
    } else {
        out.push_back(digits[0]);
        if (k > 1) {
            out.push_back('.');
            out.append(digits, 1);
        }
        out.push_back('e');
        out.push_back(n - 1 >= 0 ? '+' : '-');
        char buf[8];
        auto [e_end, e_ec] = std::to_chars(buf, buf + sizeof buf, std::abs(n - 1));
        out.append(buf, e_end);
    }
}

void write(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            out.append("null");
            break;
        case boost::json::kind::bool_:
            out.append(v.get_bool() ? "true" : "false");
            break;
        case boost::json::kind::int64: {
            char buf[24];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_int64());
            out.append(buf, end);
            break;
        }
        case boost::json::kind::uint64: {
            char buf[24];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_uint64());
            out.append(buf, end);
            break;
        }
        case boost::json::kind::double_:
            write_number(out, v.get_double());
            break;
        case boost::json::kind::string:
            write_string(out, v.get_string());
            break;
        case boost::json::kind::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& item : v.get_array()) {
                if (!first)
                    out.push_back(',');
                first = false;
                write(out, item);
            }
            out.push_back(']');
            break;
        }
        case boost::json::kind::object:
            write(out, v.get_object());
            break;
    }
}

void write(std::string& out, const boost::json::object& o) {
    out.push_back('{');
    bool first = true;
    for (const auto& member : o) {
        if (!first)
            out.push_back(',');
        first = false;
        write_string(out, member.key());
        out.push_back(':');
        write(out, member.value());
    }
    out.push_back('}');
}

std::string to_string(const boost::json::value& v) {
    std::string out;
    write(out, v);
    return out;
}

std::string to_string(const boost::json::object& o) {
    std::string out;
    write(out, o);
    return out;
}

std::optional<boost::json::value> parse(std::string_view text) {
    boost::system::error_code ec;
    boost::json::parse_options options;
    options.max_depth = 64;
    auto value = boost::json::parse(text, ec, {}, options);
    if (ec)
        return std::nullopt;
    return value;
}

}  // namespace headcount::json
