#include "common/time_format.hpp"

#include <charconv>

namespace headcount {
namespace {

void append_digits(std::string& out, long long value, int width) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    for (auto n = end - buf; n < width; ++n)
        out.push_back('0');
    out.append(buf, end);
}

/// Reads exactly `count` digits at `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, int& value) {
    if (pos + count > s.size())
        return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

}  // namespace

void append_iso(std::string& out, timestamp t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<milliseconds> time{t - day};
    // Answers carry three timestamps a row: the year, then the rest in one append.
    append_digits(out, static_cast<int>(ymd.year()), 4);
    char rest[] = "-00-00T00:00:00.000Z";
    const auto put = [&rest](std::size_t at, long long value, std::size_t width) {
        for (std::size_t i = width; i-- > 0; value /= 10)
            rest[at + i] = static_cast<char>('0' + value % 10);
    };
    put(1, static_cast<unsigned>(ymd.month()), 2);
    put(4, static_cast<unsigned>(ymd.day()), 2);
    put(7, time.hours().count(), 2);
    put(10, time.minutes().count(), 2);
    put(13, time.seconds().count(), 2);
    put(16, time.subseconds().count(), 3);
    out.append(rest, sizeof rest - 1);
}

std::string format_iso(timestamp t) {
    std::string out;
    out.reserve(24);
    append_iso(out, t);
    return out;
}

std::optional<timestamp> parse_iso(std::string_view s) {
    using namespace std::chrono;
    std::size_t pos = 0;
    int y = 0;
    int mo = 0;
    int d = 0;
    if (!read_digits(s, pos, 4, y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
        !expect(s, pos, '-') || !read_digits(s, pos, 2, d)) {
        return std::nullopt;
    }
    const year_month_day ymd{
        year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    milliseconds in_day{0};
    minutes offset{0};
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
            return std::nullopt;
        ++pos;
        int h = 0;
        int mi = 0;
        int sec = 0;
        if (!read_digits(s, pos, 2, h) || !expect(s, pos, ':') || !read_digits(s, pos, 2, mi)) {
            return std::nullopt;
        }
        if (expect(s, pos, ':') && !read_digits(s, pos, 2, sec))
            return std::nullopt;
        if (h > 23 || mi > 59 || sec > 59)
            return std::nullopt;
        int ms = 0;
        if (expect(s, pos, '.')) {
            int scale = 100;
            std::size_t digits = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                ms += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++digits;
            }
            if (digits == 0)
                return std::nullopt;
        }
        in_day = hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                const int sign = s[pos] == '-' ? -1 : 1;
                ++pos;
                int oh = 0;
                int om = 0;
                if (!read_digits(s, pos, 2, oh))
                    return std::nullopt;
                expect(s, pos, ':');
                if (!read_digits(s, pos, 2, om) || oh > 23 || om > 59)
                    return std::nullopt;
                offset = minutes{sign * (oh * 60 + om)};
            } else {
                return std::nullopt;
            }
        }
    }
    if (pos != s.size())
        return std::nullopt;
    return timestamp{sys_days{ymd}.time_since_epoch() + in_day - offset};
}

}  // namespace headcount
