#include "attendance/occurrence_service.hpp"

#include <map>

#include <gtest/gtest.h>

#include "attendance/registration_service.hpp"
#include "common/text.hpp"
#include "support/storage_fixture.hpp"

namespace headcount::attendance {
namespace {

using namespace std::chrono_literals;

/// The life of occurrences on real storage (SQLite, and PostgreSQL when given): where reports
/// land, early joiners, the end, and matching when a report is built.
class occurrence_service_test : public testing::storage_fixture {
protected:
    occurrence_service_test()
        : attendance_(clock, config::attendance_settings{5, 75, 15min}),
          sessions_(clock, config::session_settings{}),
          occurrences_(clock, attendance_, sessions_),
          registration_(sessions_, occurrences_) {}

    attendance_store& store() { return repos->attendance(); }

    /// 2026-01-01 at 09:00 plus `minutes`.
    static timestamp at(int minutes) { return from_epoch_ms(1767258000000 + minutes * 60000LL); }

    reported_occurrence report(std::optional<std::string> uuid, std::optional<int> start = {}) {
        reported_occurrence r{meeting_, std::move(uuid), "Physics", "host", std::nullopt};
        if (start)
            r.start_time = at(*start);
        return r;
    }

    occurrence started(const std::string& uuid, int minute) {
        auto o = occurrences_.locate(store(), report(uuid, minute), at(minute));
        occurrences_.start(store(), o, at(minute));
        return o;
    }

    void ended(occurrence& o, int minute) {
        occurrences_.end(store(), events, o, at(minute), std::nullopt);
    }

    static identity person(const std::string& email, const std::string& name = "Someone") {
        identity who;
        who.key = "email:" + email;
        who.participant_id = email;
        who.email = email;
        who.name = name;
        who.name_key = text::normalize_name(name);
        return who;
    }

    auth::user add_user(const std::string& name, const std::string& email) {
        return repos->sessions().users.insert({name, email, auth::role::user, "hash"}).value();
    }

    sessions::session join(const auth::user& u, std::optional<std::string> name = {}) {
        return registration_.join(store(), events, u, {meeting_, std::move(name), std::nullopt})
            .joined;
    }

    occurrence_id occurrence_of(const sessions::session& s) {
        return repos->sessions().sessions.find(s.id)->occurrence;
    }

    std::vector<occurrence_summary> all() {
        return attendance_.occurrences(store(), meeting_).value();
    }

    const meeting_id meeting_{"85012345678"};
    attendance_service attendance_;
    sessions::session_service sessions_;
    occurrence_service occurrences_;
    registration_service registration_;
};

TEST_F(occurrence_service_test, a_start_for_a_new_uuid_opens_an_occurrence_and_never_reopens_one) {
    auto first = started("uuid-A==", 0);
    ended(first, 60);
    const auto second = started("uuid-B==", 7 * 24 * 60);
    EXPECT_NE(second.id, first.id);
    EXPECT_EQ(second.status, meeting_status::live);

    // Zoom's retry of the first start, after the second began.
    auto again = occurrences_.locate(store(), report("uuid-A==", 0), at(0));
    EXPECT_EQ(again.id, first.id);
    occurrences_.start(store(), again, at(0));
    const auto list = all();
    ASSERT_EQ(list.size(), 2U);
    EXPECT_EQ(list[0].details.id, second.id) << "newest first";
    EXPECT_EQ(list[1].details.status, meeting_status::ended);
    EXPECT_EQ(list[1].details.end_time, at(60));
}

TEST_F(occurrence_service_test, a_report_with_a_uuid_lands_in_its_occurrence_however_late) {
    auto first = started("uuid-A==", 0);
    const auto ann =
        occurrences_.record_presence(store(), events, first, person("ann@x"), at(1), true, at(0));
    ended(first, 60);
    const auto second = started("uuid-B==", 7 * 24 * 60);

    auto late = occurrences_.locate(store(), report("uuid-A==", 0), at(59));
    ASSERT_EQ(late.id, first.id);
    occurrences_.record_presence(store(), events, late, person("ann@x"), at(59), false, at(0));
    const auto marks = store().participants.marks(ann.row);
    ASSERT_EQ(marks.size(), 2U);
    EXPECT_EQ(marks[1], (mark{at(59), false}));
    EXPECT_TRUE(store().participants.in_occurrence(second.id).empty());
}

TEST_F(occurrence_service_test, without_a_uuid_a_report_lands_in_the_occurrence_live_at_its_time) {
    auto first = started("uuid-A==", 0);
    EXPECT_EQ(occurrences_.locate(store(), report(std::nullopt), at(30)).id, first.id);
    ended(first, 60);
    EXPECT_EQ(occurrences_.locate(store(), report(std::nullopt), at(45)).id, first.id)
        << "inside the ended occurrence's span";
    EXPECT_EQ(
        occurrences_.locate(store(), report(std::nullopt), at(50)).status, meeting_status::ended
    );

    const auto second = started("uuid-B==", 120);
    EXPECT_EQ(occurrences_.locate(store(), report(std::nullopt), at(130)).id, second.id);
    EXPECT_EQ(occurrences_.locate(store(), report(std::nullopt), at(115)).id, second.id)
        << "just before a start, within the early-join window";
    EXPECT_EQ(all().size(), 2U);
}

TEST_F(occurrence_service_test, a_report_without_a_uuid_after_every_end_opens_an_occurrence) {
    auto first = started("uuid-A==", 0);
    ended(first, 60);
    const auto opened = occurrences_.locate(store(), report(std::nullopt, 200), at(205));
    EXPECT_NE(opened.id, first.id);
    EXPECT_EQ(opened.start_time, at(200));
    EXPECT_FALSE(opened.uuid);

    // Zoom names it later: the same occurrence, now with its uuid.
    const auto named = occurrences_.locate(store(), report("uuid-C==", 200), at(210));
    EXPECT_EQ(named.id, opened.id);
    EXPECT_EQ(named.uuid, "uuid-C==");
    EXPECT_EQ(all().size(), 2U);
}

TEST_F(occurrence_service_test, early_joiners_belong_to_the_occurrence_that_starts_next) {
    auto first = started("uuid-A==", 0);
    ended(first, 60);
    const auto ann = add_user("ann", "ann@x");
    const auto bo = add_user("bo", "bo@x");
    const auto cy = add_user("cy", "cy@x");
    clock.set(at(7 * 24 * 60 - 30));
    const auto too_early = join(ann);
    clock.set(at(7 * 24 * 60 - 10));
    const auto early = join(bo);
    const auto waiting = occurrence_of(early);
    EXPECT_EQ(occurrence_of(too_early), waiting) << "both wait in one occurrence";
    EXPECT_NE(waiting, first.id);
    EXPECT_EQ(all().front().details.status, meeting_status::scheduled);

    clock.set(at(7 * 24 * 60 + 2));
    const auto second = started("uuid-B==", 7 * 24 * 60);
    EXPECT_EQ(occurrence_of(early), second.id) << "10 minutes early is within the window";
    EXPECT_EQ(occurrence_of(too_early), waiting) << "30 minutes early is not";
    const auto on_time = join(cy);
    EXPECT_EQ(occurrence_of(on_time), second.id);
    EXPECT_EQ(all().size(), 3U);
}

TEST_F(occurrence_service_test, an_occurrence_left_without_sessions_by_the_start_goes) {
    const auto ann = add_user("ann", "ann@x");
    clock.set(at(-5));
    const auto early = join(ann);
    clock.set(at(1));
    const auto o = started("uuid-A==", 0);
    EXPECT_EQ(occurrence_of(early), o.id);
    const auto list = all();
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].participant_count, 1);
}

TEST_F(occurrence_service_test, an_older_occurrence_reported_late_takes_no_waiting_session) {
    auto first = started("uuid-A==", 0);
    ended(first, 60);
    const auto ann = add_user("ann", "ann@x");
    clock.set(at(7 * 24 * 60 - 5));
    const auto early = join(ann);
    // A first report of an occurrence between the two, long after it.
    auto late = occurrences_.locate(store(), report("uuid-Z==", 120), at(121));
    EXPECT_NE(late.id, first.id);
    EXPECT_NE(occurrence_of(early), late.id) << "it started an hour after the first ended";
    EXPECT_EQ(all().size(), 3U);
}

TEST_F(occurrence_service_test, the_end_closes_stays_and_ends_that_occurrences_sessions_only) {
    const auto ann = add_user("ann", "ann@x");
    auto first = started("uuid-A==", 0);
    clock.set(at(2));
    const auto s = join(ann);
    occurrences_.record_presence(store(), events, first, person("bo@x"), at(3), true, at(0));
    clock.set(at(70));
    events.events.clear();
    ended(first, 60);

    const auto stored = repos->sessions().sessions.find(s.id);
    EXPECT_FALSE(stored->active);
    EXPECT_EQ(stored->leave_time, at(60));
    EXPECT_EQ(stored->reason, sessions::end_reason::meeting_ended);
    EXPECT_TRUE(store().participants.active_rows(first.id).empty());
    ASSERT_EQ(events.named("userLeftMeeting").size(), 1U);
    const auto ended_events = events.named("meetingSessionsEnded");
    ASSERT_EQ(ended_events.size(), 1U);
    EXPECT_EQ(ended_events[0]->payload.get().at("endedCount").to_number<int>(), 1);
    EXPECT_EQ(
        ended_events[0]->payload.get().at("occurrenceId").as_string(),
        std::to_string(first.id.value())
    );
}

TEST_F(occurrence_service_test, students_imported_after_the_class_started_are_matched) {
    const auto ann = add_user("annie", "ann.lee@home.example");
    const auto bo = add_user("bo", "bo@home.example");
    const auto cy = add_user("cy", "cy@home.example");
    auto o = started("uuid-A==", 0);
    clock.set(at(1));
    join(ann);
    join(bo, "Bo Berg");
    join(cy);
    occurrences_.record_presence(
        store(), events, o, person("guest1@zoom.example", "Bo Berg"), at(1), true, at(0)
    );
    occurrences_.record_presence(
        store(), events, o, person("guest2@zoom.example", "Cy Cole"), at(1), true, at(0)
    );
    clock.set(at(30));
    const auto before = attendance_.report(store(), meeting_);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->auth_stats.students_identified, 0U);
    EXPECT_EQ(before->auth_stats.unlinked_user_sessions, 2U) << "bo linked on arrival by name";

    // The students, and the roster, come after the class started.
    auto& students = repos->sessions().students;
    const auto add = [&](std::int64_t id, const char* first, const char* last, const char* email) {
        students.upsert(sessions::index_student({student_id{id}, first, last, "", email}));
    };
    add(1, "Ann", "Lee", "ann.lee@school.edu");
    add(2, "Bo", "Berg", "bo.b@school.edu");
    add(3, "Cy", "Cole", "cy@school.edu");
    add(4, "Di", "Dunn", "di@school.edu");
    ASSERT_TRUE(attendance_.set_roster(
        store(), meeting_, {student_id{1}, student_id{2}, student_id{3}, student_id{4}}
    ));

    const auto after = attendance_.report(store(), meeting_);
    ASSERT_TRUE(after);
    std::map<std::int64_t, const participant_row*> by_student;
    for (const auto& row : after->rows) {
        if (row.student != nullptr)
            by_student[row.student->id.value()] = &row;
    }
    ASSERT_EQ(by_student.size(), 4U);
    EXPECT_EQ(by_student[1]->source, row_source::user_session) << "email-local-part";
    EXPECT_EQ(by_student[1]->status, attendance_status::present);
    EXPECT_EQ(by_student[2]->source, row_source::zoom) << "the name given at join";
    EXPECT_EQ(by_student[2]->user->username, "bo");
    EXPECT_EQ(by_student[3]->source, row_source::zoom);
    EXPECT_EQ(by_student[3]->linked_by, link_rule::name) << "the matched student's name";
    ASSERT_NE(by_student[3]->user, nullptr);
    EXPECT_EQ(by_student[3]->user->username, "cy");
    EXPECT_EQ(by_student[3]->status, attendance_status::present);
    EXPECT_EQ(by_student[4]->source, row_source::roster);
    EXPECT_EQ(after->rows.size(), 4U);
    EXPECT_EQ(after->summary.absent, 1U);
    EXPECT_EQ(after->auth_stats.students_identified, 3U);
    EXPECT_EQ(after->auth_stats.unlinked_user_sessions, 1U);
}

TEST_F(occurrence_service_test, a_report_names_its_occurrence_by_id_or_uuid) {
    auto first = started("uuid/A==", 0);
    ended(first, 60);
    const auto second = started("uuid-B==", 7 * 24 * 60);
    EXPECT_EQ(attendance_.report(store(), meeting_)->details().id, second.id);
    EXPECT_EQ(
        attendance_.report(store(), meeting_, std::to_string(first.id.value()))->details().id,
        first.id
    );
    EXPECT_EQ(attendance_.report(store(), meeting_, "uuid/A==")->details().id, first.id);
    const auto missing = attendance_.report(store(), meeting_, "no-such-uuid");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, errc::not_found);
    EXPECT_FALSE(attendance_.report(store(), meeting_id{"other"}, std::nullopt));
}

}  // namespace
}  // namespace headcount::attendance
