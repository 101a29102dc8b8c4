#include "attendance/attendance_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "common/text.hpp"

namespace headcount::attendance {

std::string_view to_string(attendance_status s) {
    switch (s) {
        case attendance_status::present:
            return "present";
        case attendance_status::late:
            return "late";
        case attendance_status::partial:
            return "partial";
        case attendance_status::absent:
            return "absent";
    }
    return "absent";
}

std::string_view to_string(row_source s) {
    switch (s) {
        case row_source::zoom:
            return "zoom";
        case row_source::user_session:
            return "user-session";
        case row_source::roster:
            return "roster";
    }
    return "zoom";
}

namespace {

double round_minutes(std::int64_t ms) {
    return std::round(static_cast<double>(ms) / 600.0) / 100.0;
}

/// Rows sort by first join (those that never joined last), then by name.
bool row_order(const participant_row& a, const participant_row& b) {
    if (a.join_time != b.join_time) {
        if (!a.join_time)
            return false;
        if (!b.join_time)
            return true;
        return *a.join_time < *b.join_time;
    }
    return a.participant_name.value_or("") < b.participant_name.value_or("");
}

}  // namespace

attendance_service::window attendance_service::window_of(
    const meeting& m, std::optional<timestamp> first_join, timestamp now
) const {
    return {m.start_time.value_or(first_join.value_or(now)), m.end_time.value_or(now)};
}

void attendance_service::finish_row(participant_row& row, const window& w) const {
    std::sort(row.intervals.begin(), row.intervals.end(), [](const auto& a, const auto& b) {
        return a.join < b.join;
    });
    row.active = std::any_of(row.intervals.begin(), row.intervals.end(), [](const auto& i) {
        return !i.leave;
    });
    if (!row.intervals.empty())
        row.join_time = row.intervals.front().join;
    if (!row.active) {
        for (const auto& i : row.intervals) {
            if (i.leave && (!row.leave_time || *i.leave > *row.leave_time))
                row.leave_time = i.leave;
        }
    }
    row.duration_minutes = round_minutes(covered_ms(row.intervals, w.end));
    if (row.intervals.empty()) {
        row.status = attendance_status::absent;
        return;
    }
    const auto length = (w.end - w.start).count();
    if (length > 0) {
        const auto attended = covered_ms(row.intervals, w.end, w.start, w.end);
        if (static_cast<double>(attended) <
            static_cast<double>(length) * settings_.present_min_percent / 100.0) {
            row.status = attendance_status::partial;
            return;
        }
    }
    const auto late_after =
        std::chrono::milliseconds(static_cast<std::int64_t>(settings_.late_after_minutes * 60000));
    row.status = *row.join_time - w.start > late_after ? attendance_status::late
                                                       : attendance_status::present;
}

std::shared_ptr<const meeting_snapshot> load_snapshot(
    attendance_store& store, const meeting_id& id
) {
    if (auto kept = store.snapshots.find(id))
        return kept;
    auto found = store.meetings.find(id);
    if (!found)
        return nullptr;
    auto snap = std::make_shared<meeting_snapshot>();
    snap->details = std::move(*found);
    snap->participants = store.participants.in_meeting(id);
    for (auto& [row, m] : store.participants.marks_in_meeting(id))
        snap->marks[row].push_back(m);
    snap->sessions = store.base.sessions.in_meeting(id);
    snap->roster = store.roster.of(id);

    std::vector<user_id> user_ids;
    std::vector<student_id> student_ids(snap->roster.begin(), snap->roster.end());
    for (const auto& s : snap->sessions) {
        user_ids.push_back(s.user);
        if (s.student)
            student_ids.push_back(*s.student);
    }
    for (auto& u : store.base.users.find_many(user_ids))
        snap->users.emplace(u.id, std::move(u));
    for (auto& s : store.base.students.find_many(student_ids))
        snap->students.emplace(s.id, std::move(s));
    std::vector<std::string> guest_emails;
    for (const auto& p : snap->participants) {
        if (!p.user && p.who.email)
            guest_emails.push_back(text::ascii_lower(*p.who.email));
    }
    for (auto& s : store.base.students.find_by_emails(guest_emails)) {
        snap->students_by_email[text::ascii_lower(s.email)].push_back(s.id);
        snap->students.emplace(s.id, std::move(s));
    }
    for (const auto& sid : snap->roster)
        snap->students.try_emplace(sid, sessions::student{sid, {}, {}, {}, {}});
    store.snapshots.keep(snap);
    return snap;
}

std::optional<attendance_report> attendance_service::report(
    attendance_store& store, const meeting_id& id
) const {
    auto snap = load_snapshot(store, id);
    if (!snap)
        return std::nullopt;
    const auto now = clock_.now();
    const auto& data = *snap;
    attendance_report out;
    out.data = snap;

    const auto find_user = [&data](user_id uid) -> const auth::user* {
        const auto it = data.users.find(uid);
        return it == data.users.end() ? nullptr : &it->second;
    };
    const auto student_of = [&data](const sessions::session* s) -> const sessions::student* {
        if (s == nullptr || !s->student)
            return nullptr;
        const auto it = data.students.find(*s->student);
        return it == data.students.end() ? nullptr : &it->second;
    };
    std::unordered_map<std::string_view, const sessions::session*> session_by_id;
    std::unordered_map<user_id, std::vector<const sessions::session*>> sessions_by_user;
    std::vector<user_id> user_order;
    for (const auto& s : data.sessions) {
        session_by_id.emplace(s.id.value(), &s);
        auto& list = sessions_by_user[s.user];
        if (list.empty())
            user_order.push_back(s.user);
        list.push_back(&s);
    }

    std::optional<timestamp> first_join;
    const auto note_join = [&first_join](timestamp t) {
        if (!first_join || t < *first_join)
            first_join = t;
    };

    std::set<user_id> linked_users;
    out.rows.reserve(data.participants.size() + user_order.size() + data.roster.size());
    for (const auto& p : data.participants) {
        participant_row row;
        row.source = row_source::zoom;
        row.participant_name = p.who.name;
        row.participant_id = p.who.participant_id;
        row.zoom_user_id = p.who.zoom_user_id;
        row.email = p.who.email;
        if (const auto m = data.marks.find(p.row); m != data.marks.end()) {
            row.intervals = pair_marks(m->second, data.details.end_time);
        }
        for (const auto& i : row.intervals)
            note_join(i.join);
        row.linked_by = p.linked_by;
        if (p.user) {
            linked_users.insert(*p.user);
            row.user = find_user(*p.user);
            const sessions::session* s = nullptr;
            if (p.session) {
                if (const auto it = session_by_id.find(p.session->value());
                    it != session_by_id.end())
                    s = it->second;
            }
            if (s == nullptr) {
                if (const auto it = sessions_by_user.find(*p.user); it != sessions_by_user.end())
                    s = it->second.back();
            }
            row.session = s;
            row.student = student_of(s);
        } else if (row.email) {
            if (const auto it = data.students_by_email.find(text::ascii_lower(*row.email));
                it != data.students_by_email.end() && it->second.size() == 1) {
                row.student = &data.students.at(it->second.front());
            }
        }
        out.rows.push_back(std::move(row));
    }
    for (const auto& uid : user_order) {
        const auto& list = sessions_by_user[uid];
        for (const auto* s : list)
            note_join(s->join_time);
        if (linked_users.contains(uid))
            continue;
        participant_row row;
        row.source = row_source::user_session;
        const auto* latest = list.back();
        row.participant_name = latest->participant_name;
        row.user = find_user(uid);
        if (row.user != nullptr)
            row.email = row.user->email;
        for (const auto* s : list)
            row.intervals.push_back({s->join_time, s->active ? std::nullopt : s->leave_time});
        row.session = latest;
        for (auto it = list.rbegin(); it != list.rend() && row.student == nullptr; ++it)
            row.student = student_of(*it);
        out.rows.push_back(std::move(row));
    }

    const auto w = window_of(data.details, first_join, now);
    for (auto& row : out.rows)
        finish_row(row, w);
    std::sort(out.rows.begin(), out.rows.end(), row_order);

    std::set<student_id> seen;
    for (const auto& row : out.rows) {
        if (row.student != nullptr)
            seen.insert(row.student->id);
    }
    for (const auto& sid : data.roster) {
        if (seen.contains(sid))
            continue;
        participant_row row;
        row.source = row_source::roster;
        row.status = attendance_status::absent;
        row.student = &data.students.at(sid);
        if (!row.student->first_name.empty() || !row.student->last_name.empty()) {
            row.participant_name = row.student->full_name();
            row.email = row.student->email;
        }
        out.rows.push_back(std::move(row));
    }

    auto& sum = out.summary;
    auto& stats = out.auth_stats;
    for (const auto& row : out.rows) {
        ++sum.total;
        switch (row.status) {
            case attendance_status::present:
                ++sum.present;
                break;
            case attendance_status::late:
                ++sum.late;
                break;
            case attendance_status::partial:
                ++sum.partial;
                break;
            case attendance_status::absent:
                ++sum.absent;
                break;
        }
        if (row.source == row_source::roster)
            continue;
        ++stats.total_participants;
        if (row.user != nullptr)
            ++stats.authenticated_participants;
        if (row.student != nullptr)
            ++stats.students_identified;
    }
    stats.unauthenticated_participants =
        stats.total_participants - stats.authenticated_participants;
    if (stats.total_participants > 0) {
        stats.authentication_rate = std::round(
                                        static_cast<double>(stats.authenticated_participants) *
                                        10000.0 / static_cast<double>(stats.total_participants)
                                    ) /
                                    10000.0;
    }
    for (const auto& s : data.sessions) {
        if (!s.active)
            continue;
        ++stats.active_user_sessions;
        if (!linked_users.contains(s.user))
            ++stats.unlinked_user_sessions;
    }
    return out;
}

participant_row attendance_service::describe(
    const zoom_participant& p, const std::vector<mark>& marks, const meeting& m
) const {
    participant_row row;
    row.source = row_source::zoom;
    row.participant_name = p.who.name;
    row.participant_id = p.who.participant_id;
    row.zoom_user_id = p.who.zoom_user_id;
    row.email = p.who.email;
    row.linked_by = p.linked_by;
    row.intervals = pair_marks(marks, m.end_time);
    std::optional<timestamp> first_join;
    for (const auto& i : row.intervals) {
        if (!first_join || i.join < *first_join)
            first_join = i.join;
    }
    finish_row(row, window_of(m, first_join, clock_.now()));
    return row;
}

std::vector<attendance_service::authenticated_participant>
attendance_service::authenticated_participants(
    attendance_store& store, const sessions::session_service& sessions, const meeting_id& meeting
) const {
    std::unordered_map<user_id, zoom_participant> by_user;
    for (auto& p : store.participants.in_meeting(meeting)) {
        if (p.user)
            by_user.emplace(*p.user, std::move(p));
    }
    std::vector<authenticated_participant> out;
    for (auto& d : sessions.active_participants(store.base, meeting)) {
        std::optional<zoom_participant> zoom;
        if (const auto it = by_user.find(d.s.user); it != by_user.end())
            zoom = it->second;
        out.push_back({std::move(d), std::move(zoom)});
    }
    return out;
}

outcome<std::vector<student_id>> attendance_service::set_roster(
    attendance_store& store, const meeting_id& meeting, std::vector<student_id> students
) const {
    std::sort(students.begin(), students.end());
    students.erase(std::unique(students.begin(), students.end()), students.end());
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
