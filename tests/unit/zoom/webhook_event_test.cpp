#include "zoom/webhook_event.hpp"

#include <gtest/gtest.h>

#include "common/json.hpp"

namespace headcount::zoom {
namespace {

webhook_event parsed(std::string_view body) {
    return parse_webhook(*json::parse(body)).value();
}

TEST(webhook_event, reads_zoom_shaped_deliveries) {
    const auto e =
        parsed(R"({"event":"meeting.participant_left","event_ts":1626230691572,"payload":{"object":{
        "id":85746065432,"uuid":"u==","topic":" Physics ","participant":{"user_id":"16778240","user_name":"Jill",
        "id":"","participant_user_id":"acct","email":"","leave_time":"2021-07-13T21:45:08Z"}}}})");
    EXPECT_EQ(e.event, "meeting.participant_left");
    EXPECT_EQ(e.meeting, "85746065432");
    EXPECT_EQ(e.topic, "Physics");
    EXPECT_EQ(e.event_time, from_epoch_ms(1626230691572));
    EXPECT_TRUE(e.has_participant);
    EXPECT_EQ(e.person.account_id, "acct");
    EXPECT_EQ(e.person.email, std::nullopt) << "an empty email is absent";
    EXPECT_EQ(e.leave_time, from_epoch_ms(1626212708000));
}

TEST(webhook_event, times_in_seconds_or_milliseconds_and_out_of_range_ones_are_absent) {
    EXPECT_EQ(
        parsed(R"({"event":"x","event_ts":1626230691})").event_time, from_epoch_ms(1626230691000)
    );
    // Found by fuzz_webhook: a number beyond any time used to overflow the conversion.
    EXPECT_EQ(parsed(R"({"event":"x","event_ts":1e300})").event_time, std::nullopt);
    EXPECT_EQ(parsed(R"({"event":"x","event_ts":-5})").event_time, std::nullopt);
    EXPECT_EQ(parsed(R"({"event":"x","event_ts":"not a time"})").event_time, std::nullopt);
}

}  // namespace
}  // namespace headcount::zoom
