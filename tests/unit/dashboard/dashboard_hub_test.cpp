#include "dashboard/dashboard_hub.hpp"

#include <gtest/gtest.h>

namespace headcount::dashboard {
namespace {

TEST(DashboardRooms, EveryContractEventGoesToAdminsItsMeetingAndItsUsers) {
    const std::pair<domain_event, std::vector<std::string>> cases[] = {
        {{"userJoinedMeeting", "123", {"7"}, {}}, {"admins", "meeting:123", "user:7"}},
        {{"userLeftMeeting", "123", {"7"}, {}}, {"admins", "meeting:123", "user:7"}},
        {{"participantLinked", "123", {"7"}, {}}, {"admins", "meeting:123", "user:7"}},
        {{"meetingSessionsEnded", "9", {"7", "8"}, {}},
         {"admins", "meeting:9", "user:7", "user:8"}},
        {{"attendanceDataFetched", "9", {}, {}}, {"admins", "meeting:9"}},
        {{"zoomParticipantJoined", "9", {}, {}}, {"admins", "meeting:9"}},
        {{"zoomParticipantLeft", "9", {}, {}}, {"admins", "meeting:9"}},
        {{"somethingGlobal", "", {}, {}}, {"admins"}},
    };
    for (const auto& [event, rooms] : cases)
        EXPECT_EQ(rooms_for(event), rooms) << event.name;
}

TEST(DashboardTokens, AuthTokenThenAuthorizationHeaderThenQuery) {
    const realtime::engineio::handshake_info both{
        "EIO=4&transport=polling&token=from-query", "Bearer from-header"};
    EXPECT_EQ(token_of(boost::json::object{{"token", "from-auth"}}, both), "from-auth");
    EXPECT_EQ(token_of(boost::json::object{{"token", "Bearer from-auth"}}, both), "from-auth");
    EXPECT_EQ(token_of({}, both), "from-header");
    EXPECT_EQ(token_of(boost::json::object{{"token", ""}}, both), "from-header");
    EXPECT_EQ(token_of(boost::json::object{{"token", 5}}, both), "from-header");
    const realtime::engineio::handshake_info query_only{"EIO=4&token=a%2Eb&t=x", ""};
    EXPECT_EQ(token_of({}, query_only), "a.b");
    EXPECT_EQ(token_of({}, {"EIO=4", "Basic abc"}), std::nullopt);
    EXPECT_EQ(token_of({}, {"token=", "Bearer "}), std::nullopt);
}

}  // namespace
}  // namespace headcount::dashboard
