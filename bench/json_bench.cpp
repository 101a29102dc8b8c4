#include <benchmark/benchmark.h>

#include "attendance/report_json.hpp"
#include "common/json.hpp"
#include "common/json_writer.hpp"

namespace headcount {
namespace {

/// A register-meeting body as the dashboard sends it.
constexpr std::string_view request_body =
    R"({"meetingId":"85746352918","participantName":"Ann Lee","email":"ann.lee@example.com",)"
    R"("joinTime":"2026-01-01T10:00:00.000Z","metadata":{"client":"web","version":"4.7.2"}})";

void json_parse_request_body(benchmark::State& state) {
    for (auto _ : state) {
        auto v = json::parse(request_body);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(
        static_cast<std::int64_t>(state.iterations()) *
        static_cast<std::int64_t>(request_body.size())
    );
}
BENCHMARK(json_parse_request_body);

attendance::participant_row sample_row() {
    using namespace std::chrono_literals;
    const auto start = from_epoch_ms(1767261600000);
    attendance::participant_row row;
    row.participant_name = "José Álvarez";
    row.participant_id = "16778240";
    row.zoom_user_id = "AbCdEfGhIjKlMnOp";
    row.email = "jose.alvarez@example.com";
    row.intervals = {
        {start, start + 20min}, {start + 25min, start + 55min}, {start + 58min, std::nullopt}};
    row.join_time = start;
    row.duration_minutes = 52.5;
    row.status = attendance::attendance_status::present;
    row.active = true;
    return row;
}

/// One plain row of the attendance list, as GET /api/attendance-tracker/attendance writes it.
void json_writer_attendance_row(benchmark::State& state) {
    const auto row = sample_row();
    const meeting_id meeting{"85746352918"};
    std::string out;
    for (auto _ : state) {
        out.clear();
        json::writer w(out);
        attendance::write_row(w, row, meeting, false);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(
        static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(out.size())
    );
}
BENCHMARK(json_writer_attendance_row);

/// The same row through a boost::json tree and json::write, for comparison.
void json_tree_attendance_row(benchmark::State& state) {
    const auto row = sample_row();
    const meeting_id meeting{"85746352918"};
    std::string out;
    for (auto _ : state) {
        out.clear();
        json::write(out, attendance::row_value(row, meeting));
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(json_tree_attendance_row);

}  // namespace
}  // namespace headcount
