#include "api/error_reply.hpp"

#include <gtest/gtest.h>

#include "common/json.hpp"

namespace headcount::api {
namespace {

TEST(ErrorReply, EveryCodeHasTheContractsStatusAndName) {
    struct vector {
        errc code;
        unsigned status;
        std::string_view name;
    };
    const vector vectors[] = {
        {errc::invalid_json, 400, "invalid_json"},
        {errc::validation_failed, 400, "validation_failed"},
        {errc::missing_token, 401, "missing_token"},
        {errc::invalid_token, 401, "invalid_token"},
        {errc::user_not_found, 401, "user_not_found"},
        {errc::invalid_credentials, 401, "invalid_credentials"},
        {errc::invalid_signature, 401, "invalid_signature"},
        {errc::forbidden, 403, "forbidden"},
        {errc::no_active_session, 404, "no_active_session"},
        {errc::not_found, 404, "not_found"},
        {errc::method_not_allowed, 405, "method_not_allowed"},
        {errc::conflict, 409, "conflict"},
        {errc::payload_too_large, 413, "payload_too_large"},
        {errc::unsupported_media_type, 415, "unsupported_media_type"},
        {errc::rate_limited, 429, "rate_limited"},
        {errc::unavailable, 503, "unavailable"},
        {errc::internal, 500, "internal"},
    };
    for (const auto& v : vectors) {
        EXPECT_EQ(status_of(v.code), v.status) << v.name;
        EXPECT_EQ(code_name(v.code), v.name);
    }
}

TEST(ErrorReply, IsExactlySuccessCodeMessage) {
    const auto r = error_reply({errc::invalid_token, "Invalid or expired token", {}});
    EXPECT_EQ(r.status, 401U);
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
    EXPECT_EQ(
        r.body, R"({"success":false,"code":"invalid_token","message":"Invalid or expired token"})"
    );
    EXPECT_TRUE(r.headers.empty());
}

TEST(ErrorReply, ValidationFailedCarriesItsFields) {
    const auto r = error_reply(api_error::validation(
        {{"username", "is required"}, {"email", "must be a valid email address"}}
    ));
    EXPECT_EQ(r.status, 400U);
    EXPECT_EQ(
        r.body, R"({"success":false,"code":"validation_failed","message":"Validation failed",)"
                R"("fields":{"email":"must be a valid email address","username":"is required"}})"
    );
    // Fields are only for validation_failed.
    const auto other = error_reply({errc::not_found, "User not found", {{"x", "y"}}});
    EXPECT_EQ(other.body, R"({"success":false,"code":"not_found","message":"User not found"})");
}

TEST(ErrorReply, RateLimitedSaysHowLongToWaitInTheMessageAndRetryAfter) {
    const auto r =
        error_reply(api_error::rate_limited("Too many requests", std::chrono::seconds{42}));
    EXPECT_EQ(r.status, 429U);
    EXPECT_EQ(
        r.body,
        R"({"success":false,"code":"rate_limited","message":"Too many requests, try again in 42 s"})"
    );
    const std::vector<std::pair<std::string, std::string>> headers{{"Retry-After", "42"}};
    EXPECT_EQ(r.headers, headers);
}

TEST(ErrorReply, MessagesAreEscaped) {
    const auto r = error_reply({errc::not_found, "No route for GET /a\"b\n", {}});
    const auto parsed = json::parse(r.body);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->at("message").as_string(), "No route for GET /a\"b\n");
}

TEST(Success, PutsSuccessFirstAndKeepsTheOrder) {
    const auto r = success({{"token", "t"}, {"user", boost::json::object{{"id", "1"}}}}, 201);
    EXPECT_EQ(r.status, 201U);
    EXPECT_EQ(r.body, R"({"success":true,"token":"t","user":{"id":"1"}})");
}

}  // namespace
}  // namespace headcount::api
