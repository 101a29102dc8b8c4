#include "attendance/attendance_service.hpp"

#include <map>

#include <gtest/gtest.h>

#include "attendance/registration_service.hpp"
#include "support/storage_fixture.hpp"

namespace headcount::attendance {
namespace {

/// Attendance computed from rows put straight into a real SQLite file.
class attendance_service_test : public testing::storage_fixture {
protected:
    attendance_service_test() : service_(clock, config::attendance_settings{5, 75}) {}

    timestamp at(int minute) const { return from_epoch_ms(1767261600000 + minute * 60000LL); }

    /// The meeting's one occurrence, opened when first asked for.
    occurrence& occurrence_of(const std::string& meeting) {
        auto [it, added] = occurrences_.try_emplace(meeting);
        if (added) {
            auto& store = repos->attendance();
            store.meetings.record_details(meeting_id{meeting}, {}, {}, clock.now());
            it->second.meeting = meeting_id{meeting};
            it->second.status = meeting_status::live;
            it->second.first_seen = clock.now();
            it->second.id = store.occurrences.insert(it->second);
        }
        return it->second;
    }

    /// A Zoom participant with the given stays.
    void zoom_person(
        const std::string& meeting,
        const std::string& email,
        const std::vector<std::pair<int, std::optional<int>>>& stays
    ) {
        auto& store = repos->attendance();
        identity who;
        who.key = "email:" + email;
        who.participant_id = email;
        who.email = email;
        who.name = email;
        const auto p = store.participants.upsert(occurrence_of(meeting), who);
        for (const auto& [a, b] : stays) {
            store.participants.add_mark(p.row, {at(a), true});
            if (b)
                store.participants.add_mark(p.row, {at(*b), false});
        }
    }

    void schedule(const std::string& meeting, int start, std::optional<int> end) {
        auto& o = occurrence_of(meeting);
        occurrence_started(o, at(start));
        if (end)
            occurrence_ended(o, at(*end), std::nullopt);
        repos->attendance().occurrences.save(o);
    }

    attendance_status status_of(const attendance_report& r, const std::string& email) const {
        for (const auto& row : r.rows) {
            if (row.email == email)
                return row.status;
        }
        ADD_FAILURE() << "no row for " << email;
        return attendance_status::absent;
    }

    attendance_service service_;
    std::map<std::string, occurrence> occurrences_;
};

TEST_F(attendance_service_test, statuses_follow_the_thresholds) {
    zoom_person("m1", "present@x", {{0, 100}});
    zoom_person("m1", "late@x", {{6, 100}});
    zoom_person("m1", "five@x", {{5, 100}});
    zoom_person("m1", "partial@x", {{0, 74}});
    zoom_person("m1", "enough@x", {{0, 50}, {60, 85}});
    schedule("m1", 0, 100);
    clock.set(at(200));
    const auto r = service_.report(repos->attendance(), meeting_id{"m1"});
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r, "present@x"), attendance_status::present);
    EXPECT_EQ(status_of(*r, "late@x"), attendance_status::late);
    EXPECT_EQ(status_of(*r, "five@x"), attendance_status::present);
    EXPECT_EQ(status_of(*r, "partial@x"), attendance_status::partial);
    EXPECT_EQ(status_of(*r, "enough@x"), attendance_status::present);
    EXPECT_EQ(r->summary.total, 5U);
    EXPECT_EQ(r->summary.present, 3U);
}

TEST_F(attendance_service_test, a_live_meeting_measures_against_now) {
    zoom_person("m2", "stayer@x", {{0, std::nullopt}});
    zoom_person("m2", "leaver@x", {{0, 10}});
    schedule("m2", 0, std::nullopt);
    clock.set(at(20));
    auto r = service_.report(repos->attendance(), meeting_id{"m2"});
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r, "stayer@x"), attendance_status::present);
    EXPECT_EQ(status_of(*r, "leaver@x"), attendance_status::partial);
    for (const auto& row : r->rows) {
        if (row.email == "stayer@x") {
            EXPECT_TRUE(row.active);
            EXPECT_EQ(row.duration_minutes, 20.0);
            EXPECT_FALSE(row.leave_time.has_value());
        }
    }
}

TEST_F(attendance_service_test, roster_absentees_and_session_only_users) {
    auto& base = repos->sessions();
    base.students.upsert(
        sessions::index_student({student_id{1}, "Ada", "Byron", "Math", "ada@school.edu"})
    );
    base.students.upsert(
        sessions::index_student({student_id{2}, "Alan", "Turing", "CS", "alan@school.edu"})
    );
    ASSERT_TRUE(
        service_.set_roster(repos->attendance(), meeting_id{"m3"}, {student_id{2}, student_id{1}})
    );
    EXPECT_FALSE(service_.set_roster(repos->attendance(), meeting_id{"m3"}, {student_id{9}}));
    const auto ada = base.users.insert({"ada", "ada@home.example", auth::role::user, "h"}).value();
    const sessions::session_service sessions(clock, config::session_settings{});
    const occurrence_service occurrences(clock, service_, sessions);
    const registration_service registration(sessions, occurrences);
    registration.join(
        repos->attendance(), events, ada, {meeting_id{"m3"}, std::nullopt, std::nullopt}
    );
    const auto r = service_.report(repos->attendance(), meeting_id{"m3"});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->rows.size(), 2U);
    EXPECT_EQ(r->rows[0].source, row_source::user_session);
    ASSERT_NE(r->rows[0].student, nullptr);
    EXPECT_EQ(r->rows[0].student->id, student_id{1}) << "matched by email-local-part";
    EXPECT_EQ(r->rows[1].source, row_source::roster);
    EXPECT_EQ(r->rows[1].participant_name, "Alan Turing");
    EXPECT_EQ(r->rows[1].status, attendance_status::absent);
    EXPECT_EQ(r->auth_stats.total_participants, 1U);
    EXPECT_EQ(r->auth_stats.unlinked_user_sessions, 1U);
}

TEST_F(attendance_service_test, a_meeting_never_seen_has_no_report) {
    EXPECT_FALSE(service_.report(repos->attendance(), meeting_id{"nope"}).has_value());
}

}  // namespace
}  // namespace headcount::attendance
