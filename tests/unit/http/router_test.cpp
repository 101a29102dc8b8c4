#include "http/router.hpp"

#include <gtest/gtest.h>

namespace headcount::http {
namespace {

route make(method verb, std::string pattern, std::size_t body_limit = 0) {
    return {verb, std::move(pattern), body_limit, {}};
}

class RouterTest : public ::testing::Test {
protected:
    RouterTest() {
        routes.add(make(method::get, "/healthz"));
        routes.add(make(method::get, "/api/users", 4096));
        routes.add(make(method::patch, "/api/users/:id", 4096));
        routes.add(make(method::get, "/api/sessions/:meetingId/users/:userId"));
        routes.add(make(method::post, "/api/sessions/:meetingId/users/:userId"));
        routes.add(make(method::get, "/api/sessions/active"));
        routes.add(make(method::get, "/api/sessions/:id"));
        routes.add(make(method::get, "/assets/*"));
    }
    router routes;
};

TEST_F(RouterTest, MatchesLiteralPaths) {
    const auto m = routes.find(method::get, "/healthz");
    ASSERT_NE(m.found, nullptr);
    EXPECT_EQ(m.found->pattern, "/healthz");
    EXPECT_TRUE(m.params.empty());
    EXPECT_TRUE(m.allowed.empty());
}

TEST_F(RouterTest, CapturesPathParametersInOrder) {
    const auto m = routes.find(method::post, "/api/sessions/85746352918/users/12");
    ASSERT_NE(m.found, nullptr);
    EXPECT_EQ(m.found->pattern, "/api/sessions/:meetingId/users/:userId");
    EXPECT_EQ(m.found->verb, method::post);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"meetingId", "85746352918"}, {"userId", "12"}};
    EXPECT_EQ(m.params, expected);
}

TEST_F(RouterTest, TheFirstMatchingRouteWinsSoLiteralsGoFirst) {
    const auto active = routes.find(method::get, "/api/sessions/active");
    ASSERT_NE(active.found, nullptr);
    EXPECT_EQ(active.found->pattern, "/api/sessions/active");
    const auto other = routes.find(method::get, "/api/sessions/abc");
    ASSERT_NE(other.found, nullptr);
    EXPECT_EQ(other.found->pattern, "/api/sessions/:id");
    EXPECT_EQ(other.params.front().second, "abc");
}

TEST_F(RouterTest, AnEmptySegmentDoesNotFillAParameter) {
    const auto m = routes.find(method::patch, "/api/users/");
    EXPECT_EQ(m.found, nullptr);
    EXPECT_TRUE(m.allowed.empty());
}

TEST_F(RouterTest, APathOfAnotherMethodListsTheAllowedOnesForA405) {
    const auto m = routes.find(method::del, "/api/users/5");
    EXPECT_EQ(m.found, nullptr);
    EXPECT_EQ(m.allowed, std::vector<method>{method::patch});
    const auto both = routes.find(method::put, "/api/sessions/1/users/2");
    EXPECT_EQ(both.found, nullptr);
    EXPECT_EQ(both.allowed, (std::vector<method>{method::get, method::post}));
}

TEST_F(RouterTest, AnUnknownPathIsA404WithNothingAllowed) {
    for (const auto* path : {"/nope", "/api/users/5/extra", "/api", "/", "/healthz/", "/HEALTHZ"}) {
        const auto m = routes.find(method::get, path);
        EXPECT_EQ(m.found, nullptr) << path;
        EXPECT_TRUE(m.allowed.empty()) << path;
    }
}

TEST_F(RouterTest, HeadIsServedByGet) {
    const auto m = routes.find(method::head, "/api/users");
    ASSERT_NE(m.found, nullptr);
    EXPECT_EQ(m.found->verb, method::get);
}

TEST_F(RouterTest, AFinalStarMatchesTheRestOfThePath) {
    for (const auto* path : {"/assets/app.js", "/assets/css/site.css", "/assets/"}) {
        const auto m = routes.find(method::get, path);
        ASSERT_NE(m.found, nullptr) << path;
        EXPECT_EQ(m.found->pattern, "/assets/*");
    }
    EXPECT_EQ(routes.find(method::get, "/asset/x").found, nullptr);
}

TEST_F(RouterTest, KeepsTheTableForMetrics) {
    EXPECT_EQ(routes.routes().size(), 8U);
    EXPECT_EQ(routes.routes()[2].body_limit, 4096U);
}

TEST(Request, ReadsHeadersParamsAndQueryValues) {
    request ctx;
    ctx.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
    ctx.params = {{"id", "12"}};
    ctx.query = {{"page", "2"}, {"q", "a b"}, {"page", "3"}, {"empty", ""}};
    EXPECT_EQ(ctx.header("content-type"), "application/json");
    EXPECT_EQ(ctx.header("x-a"), "1");
    EXPECT_EQ(ctx.header("missing"), "");
    EXPECT_EQ(ctx.param("id"), "12");
    EXPECT_THROW((void)ctx.param("other"), std::logic_error);
    EXPECT_EQ(ctx.query_value("page"), "2");
    EXPECT_EQ(ctx.query_value("q"), "a b");
    EXPECT_EQ(ctx.query_value("empty"), "");
    EXPECT_EQ(ctx.query_value("none"), std::nullopt);
}

TEST(Method, PrintsItsWireName) {
    EXPECT_EQ(to_string(method::get), "GET");
    EXPECT_EQ(to_string(method::del), "DELETE");
    EXPECT_EQ(to_string(method::patch), "PATCH");
}

}  // namespace
}  // namespace headcount::http
