#include "attendance/series_report.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "attendance/report_builder.hpp"
#include "common/text.hpp"

namespace headcount::attendance {
namespace {

/// Who a row stands for across occurrences.
std::string person_id(const participant_row& row) {
    if (row.student != nullptr)
        return "student:" + std::to_string(row.student->id.value());
    if (row.user != nullptr)
        return "user:" + std::to_string(row.user->id.value());
    return "zoom:" + row.participant_id.value_or(row.participant_name.value_or(""));
}

/// present, then late, then partial, then absent.
int rank(attendance_status s) {
    switch (s) {
        case attendance_status::present:
            return 0;
        case attendance_status::late:
            return 1;
        case attendance_status::partial:
            return 2;
        case attendance_status::absent:
            return 3;
    }
    return 3;
}

/// A person's name and details from their latest row: a named student's full name, else the
/// name the row carries, else the username.
void describe(series_person& p, const participant_row& row) {
    const auto* st = row.student;
    if (st != nullptr && (!st->first_name.empty() || !st->last_name.empty())) {
        p.name = st->full_name();
    } else if (row.participant_name) {
        p.name = row.participant_name;
    } else if (row.user != nullptr) {
        p.name = row.user->username;
    }
    if (row.email)
        p.email = row.email;
    else if (st != nullptr && !st->email.empty())
        p.email = st->email;
    if (st != nullptr)
        p.student = st;
    if (row.user != nullptr)
        p.user = row.user;
}

/// Two rows of one person in one occurrence (a Zoom participant and a session both matched to
/// the same student) make one cell: the better status, the longer time.
void merge(series_cell& cell, std::int64_t& in_window, const participant_row& row) {
    if (rank(row.status) < rank(cell.status))
        cell.status = row.status;
    cell.minutes = std::max(cell.minutes, row.duration_minutes);
    in_window = std::max(in_window, row.in_window_ms);
}

}  // namespace

double series_report::percent_of_scheduled(const series_person& p) const {
    if (scheduled_ms <= 0)
        return 0;
    const auto share =
        static_cast<double>(p.in_window_ms) * 100.0 / static_cast<double>(scheduled_ms);
    return std::round(share * 10.0) / 10.0;
}

series_report build_series(
    std::shared_ptr<const series_snapshot> data,
    const config::attendance_settings& settings,
    timestamp now
) {
    series_report out;
    out.data = data;
    const auto columns = data->occurrences.size();
    out.occurrences.resize(columns);
    std::unordered_map<std::string, std::size_t> index;
    // Per person and occurrence: time attended inside the occurrence's window.
    std::vector<std::vector<std::int64_t>> in_window;
    for (std::size_t c = 0; c < columns; ++c) {
        const auto& records = data->occurrences[c];
        attendance_report report;
        build_report(report, records, data->people, settings, now);
        out.occurrences[c].details = &records.details;
        out.occurrences[c].scheduled_ms = (report.ends - report.starts).count();
        out.scheduled_ms += out.occurrences[c].scheduled_ms;
        for (const auto& row : report.rows) {
            auto [it, added] = index.try_emplace(person_id(row), out.people.size());
            if (added) {
                series_person p;
                p.id = it->first;
                p.cells.resize(columns);
                out.people.push_back(std::move(p));
                in_window.emplace_back(columns, 0);
            }
            auto& person = out.people[it->second];
            describe(person, row);
            merge(person.cells[c], in_window[it->second][c], row);
        }
    }
    // Rostered students are people of the course before its first occurrence too.
    for (const auto& id : data->people.roster) {
        const auto* st = data->people.students.get(id);
        auto [it, added] =
            index.try_emplace("student:" + std::to_string(id.value()), out.people.size());
        if (!added || st == nullptr)
            continue;
        series_person p;
        p.id = it->first;
        p.cells.resize(columns);
        participant_row row;
        row.student = st;
        describe(p, row);
        out.people.push_back(std::move(p));
        in_window.emplace_back(columns, 0);
    }
    for (std::size_t i = 0; i < out.people.size(); ++i) {
        auto& p = out.people[i];
        for (std::size_t c = 0; c < columns; ++c) {
            const auto& cell = p.cells[c];
            auto& totals = out.occurrences[c].totals;
            switch (cell.status) {
                case attendance_status::present:
                    ++totals.present;
                    break;
                case attendance_status::late:
                    ++totals.late;
                    break;
                case attendance_status::partial:
                    ++totals.partial;
                    break;
                case attendance_status::absent:
                    ++totals.absent;
                    break;
            }
            if (cell.status != attendance_status::absent)
                ++p.attended;
            p.minutes += cell.minutes;
            p.in_window_ms += in_window[i][c];
        }
        p.minutes = std::round(p.minutes * 100.0) / 100.0;
    }
    std::sort(out.people.begin(), out.people.end(), [](const auto& a, const auto& b) {
        const auto ka = text::ascii_lower(a.name.value_or(""));
        const auto kb = text::ascii_lower(b.name.value_or(""));
        return ka != kb ? ka < kb : a.id < b.id;
    });
    return out;
}

}  // namespace headcount::attendance
