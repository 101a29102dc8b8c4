#include <gtest/gtest.h>

#include "common/domain_event.hpp"

namespace headcount {
namespace {

TEST(EventPayload, AGivenPayloadIsReturnedAsGiven) {
    const event_payload p(boost::json::object{{"meetingId", "m1"}});
    EXPECT_EQ(p.get().at("meetingId").as_string(), "m1");
}

TEST(EventPayload, ABuilderRunsOnTheFirstReadOnlyAndNeverWhenUnread) {
    int builds = 0;
    const auto build = [&builds] {
        ++builds;
        return boost::json::object{{"n", builds}};
    };
    { const event_payload unread(build); }
    EXPECT_EQ(builds, 0);
    const event_payload p(build);
    EXPECT_EQ(p.get().at("n").as_int64(), 1);
    EXPECT_EQ(p.get().at("n").as_int64(), 1);
    EXPECT_EQ(builds, 1);
}

TEST(EventPayload, AnEventCopiedBeforeItsPayloadIsBuiltBuildsItInEachCopy) {
    int builds = 0;
    const domain_event e{"userJoinedMeeting", "m1", {"7"}, [&builds] {
                             ++builds;
                             return boost::json::object{{"meetingId", "m1"}};
                         }};
    const domain_event copy = e;
    EXPECT_EQ(copy.payload.get().at("meetingId").as_string(), "m1");
    EXPECT_EQ(e.payload.get().at("meetingId").as_string(), "m1");
    EXPECT_EQ(builds, 2);
}

}  // namespace
}  // namespace headcount
