#include "attendance/report_builder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "common/text.hpp"
#include "sessions/student_matcher.hpp"

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

/// The occurrence runs from Zoom's start (else the first join) to Zoom's end (else now).
struct window {
    timestamp start;
    timestamp end;
};

window window_of(const occurrence& o, std::optional<timestamp> first_join, timestamp now) {
    return {o.start_time.value_or(first_join.value_or(now)), o.end_time.value_or(now)};
}

void finish_row(
    participant_row& row, const window& w, const config::attendance_settings& settings
) {
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
    row.in_window_ms = covered_ms(row.intervals, w.end, w.start, w.end);
    const auto length = (w.end - w.start).count();
    if (length > 0 && static_cast<double>(row.in_window_ms) <
                          static_cast<double>(length) * settings.present_min_percent / 100.0) {
        row.status = attendance_status::partial;
        return;
    }
    const auto late_after =
        std::chrono::milliseconds(static_cast<std::int64_t>(settings.late_after_minutes * 60000));
    row.status = *row.join_time - w.start > late_after ? attendance_status::late
                                                       : attendance_status::present;
}

participant_row zoom_row(const zoom_participant& p) {
    participant_row row;
    row.source = row_source::zoom;
    row.participant_name = p.who.name;
    row.participant_id = p.who.participant_id;
    row.zoom_user_id = p.who.zoom_user_id;
    row.email = p.who.email;
    row.linked_by = p.linked_by;
    return row;
}

/// The rules that link a user with a Zoom participant, in priority order (CONTRACT "Linking").
constexpr std::array link_rules{link_rule::email, link_rule::customer_key, link_rule::name};

/// The users with sessions in an occurrence, in first-join order, with their sessions.
struct session_users {
    struct entry {
        user_id id;
        const auth::user* user = nullptr;                ///< null for a user that no longer exists
        std::vector<const sessions::session*> sessions;  ///< by join time
    };

    session_users(const occurrence_records& records, const people_directory& people) {
        for (const auto& s : records.sessions) {
            auto [it, added] = index.try_emplace(s.user, all.size());
            if (added) {
                entry e;
                e.id = s.user;
                if (const auto u = people.users.find(s.user); u != people.users.end())
                    e.user = &u->second;
                all.push_back(std::move(e));
            }
            all[it->second].sessions.push_back(&s);
        }
    }

    std::vector<entry> all;
    std::unordered_map<user_id, std::size_t> index;
};

/// Computes occurrence_matches (see match_people).
class matcher {
public:
    matcher(const occurrence_records& records, const people_directory& people)
        : records_(records), people_(people), users_(records, people) {}

    occurrence_matches run() {
        occurrence_matches out;
        match_students(out);
        out.links.resize(records_.participants.size());
        out.by_email.resize(records_.participants.size());
        linked_.assign(users_.all.size(), false);
        participant_linked_.assign(records_.participants.size(), false);
        for (std::size_t i = 0; i < records_.participants.size(); ++i) {
            const auto& p = records_.participants[i];
            if (p.who.email)
                out.by_email[i] = people_.students.only_with_email(*p.who.email);
            if (!p.user)
                continue;
            participant_linked_[i] = true;
            if (const auto u = users_.index.find(*p.user); u != users_.index.end())
                linked_[u->second] = true;
        }
        for (const auto rule : link_rules)
            link_by(rule, out);
        return out;
    }

private:
    /// The name given at join counts as a name only when it is not the username it
    /// defaults to.
    void match_students(occurrence_matches& out) {
        for (auto& e : users_.all) {
            if (e.user == nullptr)
                continue;
            const auto& given = e.sessions.back()->participant_name;
            std::optional<std::string_view> name;
            if (given != e.user->username)
                name = given;
            if (const auto m = sessions::match_student(people_.students, *e.user, name))
                out.students.emplace(e.id, people_.students.get(m->who.id));
        }
    }

    /// What a rule compares, on the user's side; empty keys compare with nothing.
    static std::vector<std::string> keys_of(
        const session_users::entry& e, const sessions::student* student, link_rule rule
    ) {
        std::vector<std::string> keys;
        switch (rule) {
            case link_rule::email:
                keys.push_back(text::ascii_lower(e.user->email));
                break;
            case link_rule::customer_key:
                keys.push_back(std::to_string(e.id.value()));
                break;
            case link_rule::name:
                for (const auto* s : e.sessions)
                    keys.push_back(s->name_key);
                keys.push_back(text::normalize_name(e.user->username));
                if (student != nullptr)
                    keys.push_back(text::normalize_name(student->full_name()));
                break;
        }
        std::erase_if(keys, [](const std::string& k) { return k.empty(); });
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        return keys;
    }

    static std::string key_of(const zoom_participant& p, link_rule rule) {
        switch (rule) {
            case link_rule::email:
                return p.who.email ? text::ascii_lower(*p.who.email) : std::string();
            case link_rule::customer_key:
                return p.who.customer_key.value_or("");
            case link_rule::name:
                return p.who.name_key;
        }
        return {};
    }

    using keyed = std::unordered_map<std::string, std::vector<std::size_t>>;

    /// A pair links when each is the other's only candidate under the rule.
    void link_by(link_rule rule, occurrence_matches& out) {
        keyed users_by_key;
        std::unordered_map<std::size_t, std::vector<std::string>> keys_by_user;
        for (std::size_t u = 0; u < users_.all.size(); ++u) {
            const auto& e = users_.all[u];
            if (linked_[u] || e.user == nullptr)
                continue;
            const auto student = out.students.find(e.id);
            auto keys = keys_of(e, student == out.students.end() ? nullptr : student->second, rule);
            for (const auto& k : keys)
                users_by_key[k].push_back(u);
            keys_by_user.emplace(u, std::move(keys));
        }
        if (users_by_key.empty())
            return;
        keyed participants_by_key;
        for (std::size_t i = 0; i < records_.participants.size(); ++i) {
            if (participant_linked_[i])
                continue;
            if (auto k = key_of(records_.participants[i], rule); !k.empty())
                participants_by_key[std::move(k)].push_back(i);
        }
        for (const auto& [key, participants] : participants_by_key) {
            const auto users = users_by_key.find(key);
            if (participants.size() != 1 || users == users_by_key.end() ||
                users->second.size() != 1)
                continue;
            const auto u = users->second.front();
            if (linked_[u] || !only_candidate(keys_by_user[u], participants_by_key))
                continue;
            linked_[u] = true;
            participant_linked_[participants.front()] = true;
            out.links[participants.front()].emplace(users_.all[u].id, rule);
        }
    }

    /// Whether the user's keys name exactly one participant among those not linked.
    static bool only_candidate(const std::vector<std::string>& keys, const keyed& participants) {
        std::optional<std::size_t> found;
        for (const auto& k : keys) {
            const auto it = participants.find(k);
            if (it == participants.end())
                continue;
            for (const auto i : it->second) {
                if (found && *found != i)
                    return false;
                found = i;
            }
        }
        return found.has_value();
    }

    const occurrence_records& records_;
    const people_directory& people_;
    session_users users_;
    std::vector<bool> linked_;              ///< by user, as in users_.all
    std::vector<bool> participant_linked_;  ///< by participant
};

/// One occurrence's report, built in steps over its records and their matches.
class builder {
public:
    builder(
        const occurrence_records& records,
        const people_directory& people,
        const config::attendance_settings& settings,
        timestamp now
    )
        : records_(records),
          people_(people),
          settings_(settings),
          now_(now),
          users_(records, people) {}

    void run(attendance_report& out) {
        for (const auto& s : records_.sessions) {
            session_by_id_.emplace(s.id.value(), &s);
            note_join(s.join_time);
        }
        linked_.assign(users_.all.size(), false);
        out.rows.reserve(records_.participants.size() + users_.all.size() + people_.roster.size());
        add_zoom_rows(out.rows);
        add_session_rows(out.rows);
        const auto w = window_of(records_.details, first_join_, now_);
        out.starts = w.start;
        out.ends = w.end;
        for (auto& row : out.rows)
            finish_row(row, w, settings_);
        std::sort(out.rows.begin(), out.rows.end(), row_order);
        add_roster_rows(out.rows);
        count(out);
    }

private:
    const sessions::student* student_of(user_id id) const {
        const auto it = records_.matches.students.find(id);
        return it == records_.matches.students.end() ? nullptr : it->second;
    }

    /// The participant's user, session and rule: stored, else found by match_people.
    void link_row(participant_row& row, const zoom_participant& p, std::size_t i) {
        std::optional<user_id> user = p.user;
        if (!user && i < records_.matches.links.size() && records_.matches.links[i]) {
            user = records_.matches.links[i]->first;
            row.linked_by = records_.matches.links[i]->second;
        }
        if (!user) {
            if (row.email && i < records_.matches.by_email.size())
                row.student = records_.matches.by_email[i];
            return;
        }
        const auto entry = users_.index.find(*user);
        if (entry == users_.index.end()) {
            // Linked to a user with no session here: the user only.
            if (const auto u = people_.users.find(*user); u != people_.users.end())
                row.user = &u->second;
            return;
        }
        linked_[entry->second] = true;
        const auto& e = users_.all[entry->second];
        row.user = e.user;
        row.student = student_of(e.id);
        if (p.user && p.session) {
            if (const auto s = session_by_id_.find(p.session->value()); s != session_by_id_.end())
                row.session = s->second;
        }
        if (row.session == nullptr)
            row.session = e.sessions.back();
    }

    void note_join(timestamp t) {
        if (!first_join_ || t < *first_join_)
            first_join_ = t;
    }

    void add_zoom_rows(std::vector<participant_row>& rows) {
        for (std::size_t i = 0; i < records_.participants.size(); ++i) {
            const auto& p = records_.participants[i];
            auto row = zoom_row(p);
            if (const auto m = records_.marks.find(p.row); m != records_.marks.end())
                row.intervals = pair_marks(m->second, records_.details.end_time);
            for (const auto& interval : row.intervals)
                note_join(interval.join);
            link_row(row, p, i);
            rows.push_back(std::move(row));
        }
    }

    void add_session_rows(std::vector<participant_row>& rows) const {
        for (std::size_t u = 0; u < users_.all.size(); ++u) {
            if (linked_[u])
                continue;
            const auto& e = users_.all[u];
            participant_row row;
            row.source = row_source::user_session;
            const auto* latest = e.sessions.back();
            row.participant_name = latest->participant_name;
            row.user = e.user;
            if (e.user != nullptr)
                row.email = e.user->email;
            for (const auto* s : e.sessions)
                row.intervals.push_back({s->join_time, s->active ? std::nullopt : s->leave_time});
            row.session = latest;
            row.student = student_of(e.id);
            rows.push_back(std::move(row));
        }
    }

    void add_roster_rows(std::vector<participant_row>& rows) const {
        std::unordered_set<student_id> seen;
        for (const auto& row : rows) {
            if (row.student != nullptr)
                seen.insert(row.student->id);
        }
        for (const auto& id : people_.roster) {
            if (seen.contains(id))
                continue;
            participant_row row;
            row.source = row_source::roster;
            row.status = attendance_status::absent;
            row.student = people_.students.get(id);
            if (row.student != nullptr &&
                (!row.student->first_name.empty() || !row.student->last_name.empty())) {
                row.participant_name = row.student->full_name();
                row.email = row.student->email;
            }
            rows.push_back(std::move(row));
        }
    }

    void count(attendance_report& out) const {
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
        for (std::size_t u = 0; u < users_.all.size(); ++u) {
            for (const auto* s : users_.all[u].sessions) {
                if (!s->active)
                    continue;
                ++stats.active_user_sessions;
                if (!linked_[u])
                    ++stats.unlinked_user_sessions;
            }
        }
    }

    const occurrence_records& records_;
    const people_directory& people_;
    const config::attendance_settings& settings_;
    timestamp now_;
    session_users users_;
    std::unordered_map<std::string_view, const sessions::session*> session_by_id_;
    std::vector<bool> linked_;  ///< by user, as in users_.all: a Zoom row stands for them
    std::optional<timestamp> first_join_;
};

}  // namespace

occurrence_matches match_people(const occurrence_records& records, const people_directory& people) {
    return matcher(records, people).run();
}

void build_report(
    attendance_report& out,
    const occurrence_records& records,
    const people_directory& people,
    const config::attendance_settings& settings,
    timestamp now
) {
    builder(records, people, settings, now).run(out);
}

participant_row describe_participant(
    const zoom_participant& p,
    const std::vector<mark>& marks,
    const occurrence& in,
    const config::attendance_settings& settings,
    timestamp now
) {
    auto row = zoom_row(p);
    row.intervals = pair_marks(marks, in.end_time);
    std::optional<timestamp> first_join;
    for (const auto& i : row.intervals) {
        if (!first_join || i.join < *first_join)
            first_join = i.join;
    }
    finish_row(row, window_of(in, first_join, now), settings);
    return row;
}

}  // namespace headcount::attendance
