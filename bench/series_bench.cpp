#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "attendance/report_builder.hpp"
#include "attendance/series_report.hpp"
#include "common/text.hpp"

namespace headcount::attendance {
namespace {

using std::chrono::minutes;

const timestamp term_start = from_epoch_ms(1767261600000);  // 2026-01-01T10:00:00Z

/// A weekly class of `people` rostered students over `weeks` occurrences of 90 minutes. Each
/// week most come through Zoom (their email identifies them), some late or leaving early, one
/// in five misses it, and every fourth also signs in (a web session, linked by email); the
/// students and users are in the directory as storage would load them.
std::shared_ptr<series_snapshot> weekly_class(std::int64_t weeks, std::int64_t people) {
    auto snap = std::make_shared<series_snapshot>();
    snap->series.id = meeting_id{"85012345678"};
    snap->series.first_seen = term_start;
    for (std::int64_t p = 0; p < people; ++p) {
        const auto email = "student" + std::to_string(p) + "@school.example";
        snap->people.students.add(
            {student_id{p + 1}, "First" + std::to_string(p), "Last" + std::to_string(p), "Physics",
             email}
        );
        snap->people.roster.emplace_back(p + 1);
        if (p % 4 == 0) {
            auth::user u;
            u.id = user_id{p + 1};
            u.username = "user" + std::to_string(p);
            u.email = email;
            snap->people.users.emplace(u.id, u);
        }
    }
    std::int64_t row = 0;
    for (std::int64_t w = 0; w < weeks; ++w) {
        auto& records = snap->occurrences.emplace_back();
        const auto start = term_start + std::chrono::days(7 * w);
        records.details.id = occurrence_id{w + 1};
        records.details.meeting = snap->series.id;
        records.details.uuid = "uuid-" + std::to_string(w) + "==";
        records.details.start_time = start;
        records.details.end_time = start + minutes(90);
        records.details.status = meeting_status::ended;
        records.details.first_seen = start;
        for (std::int64_t p = 0; p < people; ++p) {
            if ((p + w) % 5 == 0)
                continue;
            const auto email = "student" + std::to_string(p) + "@school.example";
            zoom_participant z;
            z.row = ++row;
            z.meeting = records.details.meeting;
            z.occurrence = records.details.id;
            z.who.key = "email:" + email;
            z.who.participant_id = email;
            z.who.email = email;
            z.who.name = "First" + std::to_string(p) + " Last" + std::to_string(p);
            z.who.name_key = text::normalize_name(*z.who.name);
            records.participants.push_back(z);
            const auto join = start + minutes(p % 11);
            records.marks[z.row] = {{join, true}, {start + minutes(90 - p % 37), false}};
            if (p % 4 == 0) {
                sessions::session s;
                s.id = session_id{std::to_string(p + 1) + "_85012345678_" + std::to_string(w)};
                s.user = user_id{p + 1};
                s.meeting = records.details.meeting;
                s.occurrence = records.details.id;
                s.participant_name = "user" + std::to_string(p);
                s.name_key = s.participant_name;
                s.join_time = s.last_activity = join;
                s.leave_time = start + minutes(90);
                s.active = false;
                records.sessions.push_back(s);
            }
        }
    }
    return snap;
}

/// The course view of occurrences × people: what GET /api/meetings/:id/series computes after
/// its queries (matching people in each occurrence, then every occurrence's report merged
/// into people). Complexity is fitted against occurrences × people.
void series_report_build(benchmark::State& state) {
    const auto weeks = state.range(0);
    const auto people = state.range(1);
    const auto snapshot = weekly_class(weeks, people);
    const config::attendance_settings settings;
    const auto now = term_start + std::chrono::days(7 * weeks);
    for (auto _ : state) {
        for (auto& records : snapshot->occurrences)
            records.matches = match_people(records, snapshot->people);
        auto report = build_series(snapshot, settings, now);
        benchmark::DoNotOptimize(report);
    }
    state.SetComplexityN(weeks * people);
    state.SetItemsProcessed(state.iterations() * weeks * people);
}
BENCHMARK(series_report_build)
    ->ArgNames({"occurrences", "people"})
    ->ArgsProduct({{5, 15, 30, 60}, {50, 200, 400}})
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace
}  // namespace headcount::attendance
