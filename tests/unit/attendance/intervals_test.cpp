#include "attendance/intervals.hpp"

#include <gtest/gtest.h>

namespace headcount::attendance {
namespace {

timestamp at(int minute) {
    return from_epoch_ms(1767261600000 + minute * 60000LL);
}
mark join(int minute) {
    return {at(minute), true};
}
mark leave(int minute) {
    return {at(minute), false};
}

struct pairing_case {
    const char* name;
    std::vector<mark> marks;
    std::optional<int> meeting_end;
    std::vector<std::pair<int, std::optional<int>>> expected;
};

class pairing : public ::testing::TestWithParam<pairing_case> {};

TEST_P(pairing, pairs_in_zooms_time_order) {
    const auto& c = GetParam();
    const auto end = c.meeting_end ? std::optional(at(*c.meeting_end)) : std::nullopt;
    std::vector<interval> expected;
    for (const auto& [a, b] : c.expected)
        expected.push_back({at(a), b ? std::optional(at(*b)) : std::nullopt});
    EXPECT_EQ(pair_marks(c.marks, end), expected);
}

INSTANTIATE_TEST_SUITE_P(
    cases,
    pairing,
    ::testing::Values(
        pairing_case{"one_stay", {join(0), leave(10)}, {}, {{0, 10}}},
        pairing_case{"arrival_order_does_not_matter", {leave(10), join(0)}, {}, {{0, 10}}},
        pairing_case{"open", {join(5)}, {}, {{5, {}}}},
        pairing_case{"open_closed_by_meeting_end", {join(5)}, 60, {{5, 60}}},
        pairing_case{"open_after_the_recorded_end_stays_open", {join(70)}, 60, {{70, {}}}},
        pairing_case{
            "rejoins",
            {join(0), leave(10), join(15), leave(30), join(40)},
            {},
            {{0, 10}, {15, 30}, {40, {}}}},
        pairing_case{"leave_whose_join_has_not_arrived", {leave(20)}, {}, {{20, 20}}},
        pairing_case{
            "a_second_join_while_open_changes_nothing",
            {join(0), join(5), leave(10)},
            {},
            {{0, 10}}},
        pairing_case{
            "leave_then_join_at_one_instant",
            {join(0), leave(10), join(10), leave(20)},
            {},
            {{0, 10}, {10, 20}}},
        pairing_case{"late_leave_after_meeting_end", {join(30), leave(50)}, 60, {{30, 50}}}
    ),
    [](const auto& test_info) { return std::string(test_info.param.name); }
);

TEST(covered, counts_overlaps_once_and_clips) {
    const std::vector<interval> stays{{at(0), at(10)}, {at(5), at(20)}, {at(30), std::nullopt}};
    EXPECT_EQ(covered_ms(stays, at(40)), (20 + 10) * 60000);
    EXPECT_EQ(covered_ms(stays, at(40), at(8), at(35)), (12 + 5) * 60000);
    EXPECT_EQ(covered_ms({}, at(40)), 0);
}

}  // namespace
}  // namespace headcount::attendance
