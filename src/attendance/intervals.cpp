#include "attendance/intervals.hpp"

#include <algorithm>

namespace headcount::attendance {

std::vector<interval> pair_marks(std::vector<mark> marks, std::optional<timestamp> meeting_end) {
    std::sort(marks.begin(), marks.end(), [](const mark& a, const mark& b) { return a.at < b.at; });
    std::vector<interval> out;
    std::optional<timestamp> open;
    for (std::size_t i = 0; i < marks.size();) {
        const auto at = marks[i].at;
        bool joined = false;
        bool left = false;
        for (; i < marks.size() && marks[i].at == at; ++i) {
            (marks[i].join ? joined : left) = true;
        }
        if (open) {
            if (left) {
                out.push_back({*open, at});
                open = joined ? std::optional(at) : std::nullopt;
            }
        } else if (joined && !left) {
            open = at;
        } else {
            out.push_back({at, at});
        }
    }
    if (open) {
        out.push_back({*open, meeting_end && *meeting_end >= *open ? meeting_end : std::nullopt});
    }
    return out;
}

std::int64_t covered_ms(
    const std::vector<interval>& intervals,
    timestamp open_until,
    std::optional<timestamp> from,
    std::optional<timestamp> to
) {
    std::vector<std::pair<timestamp, timestamp>> spans;
    spans.reserve(intervals.size());
    for (const auto& i : intervals) {
        auto a = i.join;
        auto b = i.leave.value_or(open_until);
        if (from)
            a = std::max(a, *from);
        if (to)
            b = std::min(b, *to);
        if (b > a)
            spans.emplace_back(a, b);
    }
    std::sort(spans.begin(), spans.end());
    std::int64_t total = 0;
    std::optional<std::pair<timestamp, timestamp>> current;
    for (const auto& [a, b] : spans) {
        if (!current || a > current->second) {
            if (current)
                total += (current->second - current->first).count();
            current = {a, b};
        } else if (b > current->second) {
            current->second = b;
        }
    }
    if (current)
        total += (current->second - current->first).count();
    return total;
}

}  // namespace headcount::attendance
