#include "sessions/session.hpp"

#include <charconv>
#include <cmath>

namespace headcount::sessions {

std::string_view to_string(end_reason reason) {
    switch (reason) {
        case end_reason::left:
            return "left";
        case end_reason::expired:
            return "expired";
        case end_reason::meeting_ended:
            return "meeting-ended";
    }
    return "left";
}

std::optional<end_reason> parse_end_reason(std::string_view text) {
    if (text == "left")
        return end_reason::left;
    if (text == "expired")
        return end_reason::expired;
    if (text == "meeting-ended")
        return end_reason::meeting_ended;
    return std::nullopt;
}

session_id make_session_id(user_id user, const meeting_id& meeting, timestamp join_time) {
    return session_id{
        std::to_string(user.value()) + "_" + meeting.value() + "_" +
        std::to_string(to_epoch_ms(join_time))};
}

std::optional<session_id_parts> parse_session_id(std::string_view id) {
    const auto first = id.find('_');
    const auto last = id.rfind('_');
    if (first == std::string_view::npos || last <= first + 1)
        return std::nullopt;
    const auto whole_number = [](std::string_view digits, std::int64_t& out) {
        const auto* end = digits.data() + digits.size();
        const auto [stop, ec] = std::from_chars(digits.data(), end, out);
        return ec == std::errc{} && stop == end;
    };
    std::int64_t user = 0;
    session_id_parts parts;
    if (!whole_number(id.substr(0, first), user) || user <= 0 ||
        !whole_number(id.substr(last + 1), parts.join_time_ms))
        return std::nullopt;
    parts.user = user_id{user};
    return parts;
}

double minutes_between(timestamp from, timestamp to) {
    const auto ms = static_cast<double>((to - from).count());
    return std::round(ms / 600.0) / 100.0;
}

}  // namespace headcount::sessions
