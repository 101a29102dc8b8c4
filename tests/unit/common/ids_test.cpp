#include "common/ids.hpp"

#include <string>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

namespace headcount {
namespace {

TEST(MeetingId, AcceptsOneToSixtyFourOfTheAllowedCharacters) {
    for (const std::string& ok :
         std::vector<std::string>{"1", "85746352918", "abc_DEF-123", std::string(64, 'x')})
        EXPECT_TRUE(is_valid_meeting_id(ok)) << ok;
}

TEST(MeetingId, RefusesEmptyTooLongAndOtherCharacters) {
    for (const std::string& bad : std::vector<std::string>{
             std::string(), std::string(65, '1'), "12 34", "12/34", "12.34", "ü123", "a\nb",
             "%20"}) {
        EXPECT_FALSE(is_valid_meeting_id(bad)) << bad;
    }
}

TEST(StrongId, ComparesAndHashesByValue) {
    const user_id a{7};
    const user_id b{7};
    const user_id c{8};
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_LT(a, c);
    EXPECT_EQ(a.value(), 7);
    std::unordered_set<meeting_id> seen{meeting_id{"123"}, meeting_id{"123"}, meeting_id{"456"}};
    EXPECT_EQ(seen.size(), 2U);
    EXPECT_EQ(user_id{}.value(), 0);
}

}  // namespace
}  // namespace headcount
