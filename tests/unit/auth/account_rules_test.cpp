#include "auth/account_rules.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "auth/user.hpp"

namespace headcount::auth {
namespace {

TEST(CheckUsername, AllowsThreeToThirtyTwoOfTheAllowedCharacters) {
    for (const std::string& ok :
         std::vector<std::string>{"abc", "Ann.Lee_2-x", std::string(32, 'z'), "0.9", "a-b"})
        EXPECT_EQ(check_username(ok), std::nullopt) << ok;
    for (const std::string& bad : std::vector<std::string>{
             "", "ab", std::string(33, 'z'), "a b", "ann@x", "josé", "a/b", "ab\n", "a!"}) {
        EXPECT_EQ(
            check_username(bad), "must be 3-32 characters of letters, digits, \".\", \"_\" or \"-\""
        ) << bad;
    }
}

TEST(CheckEmail, AllowsOrdinaryAddresses) {
    for (const std::string& ok : std::vector<std::string>{
             "a@b.co", "John.Doe+tag@example.org", "x@sub.domain.edu", "o'neil@x.ie"}) {
        EXPECT_EQ(check_email(ok), std::nullopt) << ok;
    }
}

TEST(CheckEmail, RefusesWhatCannotBeAnAddress) {
    for (const std::string& bad : std::vector<std::string>{
             "", "nope", "@x.org", "a@", "a@b", "a@.org", "a@org.", "a@@b.org", "a@b@c.org",
             "a b@c.org", "a@b.org\n", "a\t@b.org", std::string(250, 'a') + "@b.org"}) {
        EXPECT_EQ(check_email(bad), "must be a valid email address") << bad;
    }
}

TEST(CheckPassword, NeedsAtLeastEightCharacters) {
    EXPECT_EQ(check_password("12345678"), std::nullopt);
    EXPECT_EQ(check_password("1234567"), "must be at least 8 characters");
    EXPECT_EQ(check_password(""), "must be at least 8 characters");
}

TEST(LoginKey, IsTheLoginAsAccountsAreLookedUp) {
    const struct {
        std::string_view login;
        std::string_view key;
    } vectors[] = {
        {"alice", "alice"},
        {"Alice", "alice"},
        {"  ALICE\t", "alice"},
        {"John.Doe@Example.ORG", "john.doe@example.org"},
        {" JOHN.DOE@example.org ", "john.doe@example.org"},
        {"J\xC3\x9CRGEN", "j\xC3\x9Crgen"},  // ASCII only, as the lookup
        {"", ""},
    };
    for (const auto& v : vectors)
        EXPECT_EQ(login_key(v.login), v.key) << v.login;
}

TEST(Role, ParsesOnlyTheTwoRolesAndPrintsThemBack) {
    EXPECT_EQ(parse_role("admin"), role::admin);
    EXPECT_EQ(parse_role("user"), role::user);
    EXPECT_EQ(parse_role("Admin"), std::nullopt);
    EXPECT_EQ(parse_role("root"), std::nullopt);
    EXPECT_EQ(parse_role(""), std::nullopt);
    EXPECT_EQ(to_string(role::admin), "admin");
    EXPECT_EQ(to_string(role::user), "user");
}

}  // namespace
}  // namespace headcount::auth
