#include <gtest/gtest.h>

#include "sessions/session.hpp"

namespace headcount::sessions {
namespace {

TEST(SessionId, ParsingGivesBackTheUserAndJoinTimeOfMakeSessionId) {
    const auto join = timestamp{std::chrono::milliseconds{1764547200123}};
    for (const char* meeting : {"85746352411", "a_b", "_x_", "m-1_2"}) {
        const auto id = make_session_id(user_id{42}, meeting_id{meeting}, join);
        const auto parts = parse_session_id(id.value());
        ASSERT_TRUE(parts) << id.value();
        EXPECT_EQ(parts->user, user_id{42});
        EXPECT_EQ(parts->join_time_ms, 1764547200123);
    }
}

TEST(SessionId, TextMakeSessionIdCannotProduceIsRefused) {
    for (const char* text :
         {"", "42", "42_", "42__1", "_m_1", "x_m_1", "0_m_1", "-4_m_1", "42_m_", "42_m_1x",
          "42_m_1.5", "42 _m_1", "99999999999999999999_m_1", "42_m_99999999999999999999"})
        EXPECT_FALSE(parse_session_id(text)) << text;
}

}  // namespace
}  // namespace headcount::sessions
