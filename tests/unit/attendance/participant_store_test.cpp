#include <gtest/gtest.h>

#include "support/storage_fixture.hpp"

namespace headcount::attendance {
namespace {

/// How storage keeps one Zoom participant across deliveries: a first delivery inserts it, a
/// repeat changes nothing, a later one fills in or replaces what it gives and keeps the rest.
class participant_store_test : public testing::storage_fixture {
protected:
    participant_store_test() {
        repos->attendance().meetings.record_details(meeting, {}, {}, clock.now());
        in = open_occurrence("uuid-1==");
    }

    occurrence open_occurrence(const std::string& uuid) {
        occurrence o;
        o.meeting = meeting;
        o.uuid = uuid;
        o.status = meeting_status::live;
        o.first_seen = clock.now();
        o.id = repos->attendance().occurrences.insert(o);
        return o;
    }

    static identity person() {
        identity who;
        who.key = "pid:z-1";
        who.participant_id = "z-1";
        who.name = "Ana Lima";
        who.name_key = "ana lima";
        return who;
    }

    participant_repository& participants() { return repos->attendance().participants; }

    const meeting_id meeting{"m-1"};
    occurrence in;
};

TEST_F(participant_store_test, a_first_delivery_stores_the_participant_as_given) {
    const auto created = participants().upsert(in, person());
    EXPECT_GT(created.row, 0);
    EXPECT_EQ(created.meeting, meeting);
    EXPECT_EQ(created.occurrence, in.id);
    EXPECT_EQ(created.who.key, "pid:z-1");
    EXPECT_EQ(created.who.name, "Ana Lima");
    EXPECT_EQ(created.who.email, std::nullopt);
    EXPECT_FALSE(created.active);
    EXPECT_EQ(created.user, std::nullopt);

    const auto read = participants().find_row(created.row);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->who.key, created.who.key);
    EXPECT_EQ(read->who.participant_id, "z-1");
    EXPECT_EQ(read->who.name, created.who.name);
    EXPECT_EQ(read->who.name_key, "ana lima");
    EXPECT_EQ(read->who.email, std::nullopt);
    EXPECT_EQ(read->who.customer_key, std::nullopt);
    EXPECT_FALSE(read->active);
}

TEST_F(participant_store_test, a_repeated_delivery_returns_the_same_row_unchanged) {
    const auto first = participants().upsert(in, person());
    const auto again = participants().upsert(in, person());
    EXPECT_EQ(again.row, first.row);
    EXPECT_EQ(again.who.name, "Ana Lima");
    EXPECT_EQ(participants().in_occurrence(in.id).size(), 1U);
}

TEST_F(participant_store_test, a_later_delivery_fills_in_what_it_gives_and_keeps_the_rest) {
    const auto first = participants().upsert(in, person());
    auto later = person();
    later.participant_id = "z-2";  // Zoom's per-join id changes on rejoin: the first is kept
    later.name = std::nullopt;
    later.name_key = "";
    later.email = "Ana@School.Example";
    later.customer_key = "s-42";

    const auto merged = participants().upsert(in, later);
    EXPECT_EQ(merged.row, first.row);
    EXPECT_EQ(merged.who.participant_id, "z-1");
    EXPECT_EQ(merged.who.name, "Ana Lima");
    EXPECT_EQ(merged.who.name_key, "ana lima");
    EXPECT_EQ(merged.who.email, "Ana@School.Example");
    EXPECT_EQ(merged.who.customer_key, "s-42");
    EXPECT_EQ(participants().in_occurrence(in.id).size(), 1U);

    const auto read = participants().find_row(first.row);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->who.email, "Ana@School.Example");
    EXPECT_EQ(read->who.name, "Ana Lima");
}

TEST_F(participant_store_test, one_person_in_two_occurrences_of_a_meeting_is_two_participants) {
    const auto first = participants().upsert(in, person());
    const auto next = open_occurrence("uuid-2==");
    const auto second = participants().upsert(next, person());
    EXPECT_NE(second.row, first.row);
    EXPECT_EQ(second.occurrence, next.id);
    participants().add_mark(first.row, {clock.now(), true});
    EXPECT_EQ(participants().in_occurrence(in.id).size(), 1U);
    EXPECT_EQ(participants().in_occurrence(next.id).size(), 1U);
    EXPECT_EQ(participants().marks_in_occurrence(next.id).size(), 0U);
    EXPECT_EQ(participants().marks_in_occurrence(in.id).size(), 1U);
}

}  // namespace
}  // namespace headcount::attendance
