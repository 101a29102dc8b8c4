#include "attendance/attendance_service.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "attendance/report_builder.hpp"
#include "common/text.hpp"

namespace headcount::attendance {
namespace {

api_error meeting_not_found() {
    return {errc::not_found, "Meeting not found", {}};
}

template <class T>
void sort_unique(std::vector<T>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// headcount's id when `name` is one of the meeting's, else the Zoom uuid it may be.
std::optional<occurrence> find_named(
    attendance_store& store, const meeting_id& meeting, const std::string& name
) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (ec == std::errc{} && end == name.data() + name.size() && id > 0) {
        if (auto found = store.occurrences.find(meeting, occurrence_id{id}))
            return found;
    }
    return store.occurrences.find_by_uuid(meeting, name);
}

occurrence_records read_records(attendance_store& store, occurrence o) {
    occurrence_records r;
    r.details = std::move(o);
    if (r.details.id.value() == 0)
        return r;
    r.participants = store.participants.in_occurrence(r.details.id);
    for (auto& [row, m] : store.participants.marks_in_occurrence(r.details.id))
        r.marks[row].push_back(m);
    r.sessions = store.base.sessions.in_occurrence(r.details.id);
    return r;
}

/// The users of the sessions; the students of the roster, those the users may match (see
/// report_builder) and those whose email an unlinked Zoom participant gave. Lookups with
/// nothing to look up are skipped.
people_directory read_people(
    attendance_store& store,
    const meeting_id& meeting,
    const std::vector<const occurrence_records*>& occurrences
) {
    people_directory people;
    people.roster = store.roster.of(meeting);
    std::vector<user_id> user_ids;
    std::vector<std::string> names;
    std::vector<std::string> emails;
    for (const auto* r : occurrences) {
        for (const auto& s : r->sessions) {
            user_ids.push_back(s.user);
            names.push_back(s.name_key);
        }
        for (const auto& p : r->participants) {
            if (!p.user && p.who.email)
                emails.push_back(text::ascii_lower(*p.who.email));
        }
    }
    sort_unique(user_ids);
    if (!user_ids.empty()) {
        for (auto& u : store.base.users.find_many(user_ids))
            people.users.emplace(u.id, std::move(u));
    }
    std::vector<student_id> ids(people.roster.begin(), people.roster.end());
    std::vector<std::string> locals;
    for (const auto& [id, u] : people.users) {
        if (u.linked_student)
            ids.push_back(*u.linked_student);
        emails.push_back(text::ascii_lower(u.email));
        locals.push_back(text::email_local_part(u.email));
    }
    sort_unique(ids);
    sort_unique(emails);
    sort_unique(locals);
    sort_unique(names);
    std::erase(names, std::string());
    auto& students = store.base.students;
    const auto add = [&people](std::vector<sessions::student> found) {
        for (const auto& s : found)
            people.students.add(s);
    };
    if (!ids.empty())
        add(students.find_many(ids));
    if (!emails.empty())
        add(students.find_by_emails(emails));
    if (!locals.empty())
        add(students.find_by_email_locals(locals));
    if (!names.empty())
        add(students.find_by_name_keys(names));
    for (const auto& id : people.roster)
        people.students.add_placeholder(id);
    return people;
}

}  // namespace

outcome<std::shared_ptr<const meeting_snapshot>> load_snapshot(
    attendance_store& store, const meeting_id& meeting, const std::optional<std::string>& occurrence
) {
    const auto key = meeting.value() + '\n' + occurrence.value_or("");
    if (auto kept = store.snapshots.find(key))
        return kept;
    auto series = store.meetings.find(meeting);
    if (!series)
        return meeting_not_found();
    auto found =
        occurrence ? find_named(store, meeting, *occurrence) : store.occurrences.latest(meeting);
    if (!found && occurrence)
        return api_error{errc::not_found, "Occurrence not found", {}};
    if (!found) {
        // Known only from its roster: an occurrence that has not happened.
        found.emplace();
        found->meeting = meeting;
        found->first_seen = series->first_seen;
    }
    auto snap = std::make_shared<meeting_snapshot>();
    snap->series = std::move(*series);
    snap->records = read_records(store, std::move(*found));
    snap->people = read_people(store, meeting, {&snap->records});
    snap->records.matches = match_people(snap->records, snap->people);
    store.snapshots.keep(key, snap);
    return std::shared_ptr<const meeting_snapshot>(std::move(snap));
}

outcome<std::shared_ptr<const series_snapshot>> load_series(
    attendance_store& store, const meeting_id& meeting, timestamp from, timestamp to
) {
    auto series = store.meetings.find(meeting);
    if (!series)
        return meeting_not_found();
    auto snap = std::make_shared<series_snapshot>();
    snap->series = std::move(*series);
    std::unordered_map<occurrence_id, std::size_t> column;
    for (auto& o : store.occurrences.between(meeting, from, to)) {
        // An occurrence Zoom has not reported has not happened (yet).
        if (o.pending())
            continue;
        column.emplace(o.id, snap->occurrences.size());
        snap->occurrences.emplace_back().details = std::move(o);
    }
    std::unordered_map<std::int64_t, std::size_t> column_of_row;
    for (auto& p : store.participants.in_series(meeting, from, to)) {
        const auto c = column.find(p.occurrence);
        if (c == column.end())
            continue;
        column_of_row.emplace(p.row, c->second);
        snap->occurrences[c->second].participants.push_back(std::move(p));
    }
    for (auto& [row, m] : store.participants.marks_in_series(meeting, from, to)) {
        if (const auto c = column_of_row.find(row); c != column_of_row.end())
            snap->occurrences[c->second].marks[row].push_back(m);
    }
    for (auto& s : store.base.sessions.in_series(meeting, from, to)) {
        if (const auto c = column.find(s.occurrence); c != column.end())
            snap->occurrences[c->second].sessions.push_back(std::move(s));
    }
    std::vector<const occurrence_records*> all;
    all.reserve(snap->occurrences.size());
    for (const auto& r : snap->occurrences)
        all.push_back(&r);
    snap->people = read_people(store, meeting, all);
    for (auto& r : snap->occurrences)
        r.matches = match_people(r, snap->people);
    return std::shared_ptr<const series_snapshot>(std::move(snap));
}

outcome<attendance_report> attendance_service::report(
    attendance_store& store, const meeting_id& meeting, const std::optional<std::string>& occurrence
) const {
    auto snap = load_snapshot(store, meeting, occurrence);
    if (!snap)
        return snap.error();
    attendance_report out;
    out.data = std::move(*snap);
    build_report(out, out.data->records, out.data->people, settings_, clock_.now());
    return out;
}

outcome<series_report> attendance_service::series(
    attendance_store& store,
    const meeting_id& meeting,
    std::optional<timestamp> from,
    std::optional<timestamp> to
) const {
    constexpr auto earliest = std::numeric_limits<std::int64_t>::min();
    constexpr auto latest = std::numeric_limits<std::int64_t>::max();
    auto snap = load_series(
        store, meeting, from.value_or(from_epoch_ms(earliest)), to.value_or(from_epoch_ms(latest))
    );
    if (!snap)
        return snap.error();
    auto out = build_series(std::move(*snap), settings_, clock_.now());
    out.from = from;
    out.to = to;
    return out;
}

std::vector<meeting_summary> attendance_service::meetings(attendance_store& store) const {
    return store.meetings.list();
}

outcome<std::vector<occurrence_summary>> attendance_service::occurrences(
    attendance_store& store, const meeting_id& meeting
) const {
    if (!store.meetings.find(meeting))
        return meeting_not_found();
    return store.occurrences.list(meeting);
}

participant_row attendance_service::describe(
    const zoom_participant& p, const std::vector<mark>& marks, const occurrence& in
) const {
    return describe_participant(p, marks, in, settings_, clock_.now());
}

std::vector<attendance_service::authenticated_participant>
attendance_service::authenticated_participants(
    attendance_store& store, const sessions::session_service& sessions, const meeting_id& meeting
) const {
    auto active = sessions.active_participants(store.base, meeting);
    // A link belongs to a user in one occurrence: the occurrences of the active sessions.
    std::vector<occurrence_id> occurrences;
    for (const auto& d : active)
        occurrences.push_back(d.s.occurrence);
    sort_unique(occurrences);
    std::map<std::pair<occurrence_id, user_id>, zoom_participant> linked;
    for (const auto& o : occurrences) {
        for (auto& p : store.participants.in_occurrence(o)) {
            if (p.user)
                linked.emplace(std::pair{o, *p.user}, std::move(p));
        }
    }
    std::vector<authenticated_participant> out;
    out.reserve(active.size());
    for (auto& d : active) {
        std::optional<zoom_participant> zoom;
        if (const auto it = linked.find({d.s.occurrence, d.s.user}); it != linked.end())
            zoom = it->second;
        out.push_back({std::move(d), std::move(zoom)});
    }
    return out;
}

outcome<std::vector<student_id>> attendance_service::set_roster(
    attendance_store& store, const meeting_id& meeting, std::vector<student_id> students
) const {
    sort_unique(students);
    if (const auto unknown = store.base.students.missing(students); !unknown.empty()) {
        std::string list;
        for (const auto& id : unknown)
            list += (list.empty() ? "" : ", ") + std::to_string(id.value());
        return api_error::validation("studentIds", "no student has studentId " + list);
    }
    store.base.meetings.note_seen(meeting, clock_.now());
    store.roster.replace(meeting, students);
    return store.roster.of(meeting);
}

}  // namespace headcount::attendance
