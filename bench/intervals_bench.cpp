#include <algorithm>
#include <random>

#include <benchmark/benchmark.h>

#include "attendance/intervals.hpp"

namespace headcount::attendance {
namespace {

/// `count` join/leave pairs of a participant who keeps dropping out, shuffled as webhooks
/// may arrive out of order.
std::vector<mark> sample_marks(std::int64_t count) {
    std::vector<mark> marks;
    const auto start = from_epoch_ms(1767261600000);
    for (std::int64_t i = 0; i < count; ++i) {
        marks.push_back({start + std::chrono::minutes(2 * i), true});
        marks.push_back({start + std::chrono::minutes(2 * i) + std::chrono::seconds(90), false});
    }
    std::mt19937 rng(42);
    std::shuffle(marks.begin(), marks.end(), rng);
    return marks;
}

void pair_marks_rejoins(benchmark::State& state) {
    const auto marks = sample_marks(state.range(0));
    const auto end = from_epoch_ms(1767261600000) + std::chrono::hours(24);
    for (auto _ : state) {
        auto intervals = pair_marks(marks, end);
        benchmark::DoNotOptimize(intervals);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(pair_marks_rejoins)->Arg(1)->Arg(10)->Arg(100);

/// covered_ms over overlapping intervals (a participant in two devices), clipped to the meeting.
void covered_ms_overlapping(benchmark::State& state) {
    const auto start = from_epoch_ms(1767261600000);
    std::vector<interval> intervals;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        intervals.push_back(
            {start + std::chrono::minutes(3 * i), start + std::chrono::minutes(3 * i + 5)}
        );
    }
    intervals.push_back({start + std::chrono::minutes(1), std::nullopt});
    const auto until = start + std::chrono::hours(2);
    for (auto _ : state) {
        auto ms = covered_ms(intervals, until, start, until);
        benchmark::DoNotOptimize(ms);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(covered_ms_overlapping)->Arg(1)->Arg(10)->Arg(100);

}  // namespace
}  // namespace headcount::attendance
