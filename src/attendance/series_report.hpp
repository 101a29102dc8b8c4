#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attendance/attendance_report.hpp"
#include "config/settings.hpp"

namespace headcount::attendance {

/// One person in one occurrence of the course view.
struct series_cell {
    attendance_status status = attendance_status::absent;
    double minutes = 0;  ///< time attended, as the occurrence's report counts it
};

/// One person across the occurrences: a student (rostered or identified), else a signed-in
/// user, else a Zoom participant (by their identity in Zoom).
struct series_person {
    std::string id;  ///< `student:<studentId>`, `user:<userId>` or `zoom:<participantId>`
    std::optional<std::string> name;
    std::optional<std::string> email;
    const sessions::student* student = nullptr;
    const auth::user* user = nullptr;
    std::vector<series_cell> cells;  ///< one per occurrence, in series_report's order
    std::size_t attended = 0;        ///< occurrences with a status other than absent
    double minutes = 0;              ///< summed over the cells
    std::int64_t in_window_ms = 0;   ///< attended inside the occurrences' windows
};

/// Per occurrence: how many people were in each status.
struct series_totals {
    std::size_t present = 0;
    std::size_t late = 0;
    std::size_t partial = 0;
    std::size_t absent = 0;
    std::size_t attended() const { return present + late + partial; }
};

/// One occurrence of the course view with what its statuses were measured against.
struct series_column {
    const occurrence* details = nullptr;
    std::int64_t scheduled_ms = 0;  ///< its window: Zoom's start to Zoom's end (else now)
    series_totals totals;
};

/// The course view: every person seen or rostered across a meeting's occurrences, one cell
/// per occurrence, with how many they attended and what share of the scheduled time. Its
/// parts point into the snapshot it holds.
struct series_report {
    std::shared_ptr<const series_snapshot> data;
    std::optional<timestamp> from;
    std::optional<timestamp> to;
    std::vector<series_column> occurrences;  ///< oldest first
    std::vector<series_person> people;       ///< by name
    std::int64_t scheduled_ms = 0;           ///< summed over the occurrences

    const meeting& series() const { return data->series; }
    /// Attended share of the scheduled time in percent, one decimal.
    double percent_of_scheduled(const series_person& p) const;
};

/// Builds the course view at `now` from the occurrences' records: each occurrence's report
/// (as GET .../attendance answers it), its rows merged into people. Linear in occurrences ×
/// people.
series_report build_series(
    std::shared_ptr<const series_snapshot> data,
    const config::attendance_settings& settings,
    timestamp now
);

}  // namespace headcount::attendance
