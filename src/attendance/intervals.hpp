#pragma once

#include <optional>
#include <vector>

#include "attendance/zoom_participant.hpp"

namespace headcount::attendance {

/// A stay in the meeting; `leave` is empty while it lasts.
struct interval {
    timestamp join;
    std::optional<timestamp> leave;

    friend bool operator==(const interval&, const interval&) = default;
};

/// Pairs the join and leave times Zoom reported, in Zoom's time order (not arrival order),
/// into intervals. At one instant a leave closes what is open before a join reopens it; a
/// leave with nothing open (its join has not arrived) is a zero-length stay, completed when
/// the join comes. A stay still open when the meeting ended is closed at `meeting_end`.
std::vector<interval> pair_marks(std::vector<mark> marks, std::optional<timestamp> meeting_end);

/// Milliseconds covered by the intervals (overlaps counted once), open ones counting until
/// `open_until`, clipped to [from, to].
std::int64_t covered_ms(
    const std::vector<interval>& intervals,
    timestamp open_until,
    std::optional<timestamp> from = std::nullopt,
    std::optional<timestamp> to = std::nullopt
);

}  // namespace headcount::attendance
