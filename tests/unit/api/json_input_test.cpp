#include "api/json_input.hpp"

#include <gtest/gtest.h>

#include "common/json.hpp"

namespace headcount::api {
namespace {

boost::json::value body(std::string_view text) {
    auto v = json::parse(text);
    EXPECT_TRUE(v.has_value()) << text;
    return v.value_or(nullptr);
}

/// The fields of the validation_failed that check() throws, or empty when it does not.
std::map<std::string, std::string> failures(const json_input& in) {
    try {
        in.check();
    } catch (const api_exception& e) {
        EXPECT_EQ(e.error.code, errc::validation_failed);
        EXPECT_EQ(e.error.message, "Validation failed");
        return e.error.fields;
    }
    return {};
}

TEST(JsonInput, ReadsStringsAndNamesEveryBadField) {
    const auto v = body(R"({"a":"x","b":42,"c":null,"d":"","e":"toolong","f":["x"]})");
    json_input in(v);
    EXPECT_EQ(in.string("a", true), "x");
    EXPECT_EQ(in.string("b", true), std::nullopt);
    EXPECT_EQ(in.string("c", false), std::nullopt);
    EXPECT_EQ(in.string("c2", false), std::nullopt);
    EXPECT_EQ(in.string("d", true), std::nullopt);
    EXPECT_EQ(in.string("e", false, 3), std::nullopt);
    EXPECT_EQ(in.string("f", false), std::nullopt);
    EXPECT_EQ(in.string("g", true), std::nullopt);
    EXPECT_FALSE(in.ok());
    const std::map<std::string, std::string> expected{
        {"b", "must be a string"}, {"d", "is required"}, {"e", "must be at most 3 characters"},
        {"f", "must be a string"}, {"g", "is required"},
    };
    EXPECT_EQ(failures(in), expected);
}

TEST(JsonInput, AnOptionalEmptyStringIsKept) {
    const auto v = body(R"({"d":""})");
    json_input in(v);
    EXPECT_EQ(in.string("d", false), "");
    EXPECT_TRUE(in.ok());
    EXPECT_NO_THROW(in.check());
}

TEST(JsonInput, AnAbsentBodyReadsAsAnEmptyObject) {
    const boost::json::value none;
    json_input in(none);
    EXPECT_EQ(in.member("x"), nullptr);
    EXPECT_TRUE(in.ok());
    EXPECT_EQ(in.string("name", true), std::nullopt);
    EXPECT_EQ(failures(in), (std::map<std::string, std::string>{{"name", "is required"}}));
}

TEST(JsonInput, ABodyThatIsNotAnObjectIsItselfAFailure) {
    for (const auto* text : {"[1,2]", "\"text\"", "42", "true"}) {
        const auto v = body(text);
        json_input in(v);
        EXPECT_EQ(
            failures(in), (std::map<std::string, std::string>{{"body", "must be a JSON object"}})
        ) << text;
    }
}

TEST(JsonInput, MeetingIdsFollowTheContractsRule) {
    const auto v = body(
        R"({"ok":"85746352918","bad":"12 34","num":123,"long":")" + std::string(65, '1') + R"("})"
    );
    json_input in(v);
    EXPECT_EQ(in.meeting("ok"), meeting_id{"85746352918"});
    EXPECT_EQ(in.meeting("bad"), std::nullopt);
    EXPECT_EQ(in.meeting("num"), std::nullopt);
    EXPECT_EQ(in.meeting("long"), std::nullopt);
    EXPECT_EQ(in.meeting("absent"), std::nullopt);
    const auto rule = "must be 1-64 characters of [0-9A-Za-z_-]";
    const std::map<std::string, std::string> expected{
        {"bad", rule}, {"num", rule}, {"long", rule}, {"absent", "is required"}};
    EXPECT_EQ(failures(in), expected);
}

TEST(JsonInput, NestedObjectsReportTheirFieldsUnderTheirName) {
    const auto v = body(R"({"o":{"k":"v","n":5,"long":"abcdef"},"nil":null,"s":"x"})");
    json_input in(v);
    auto o = in.nested("o");
    EXPECT_EQ(o.string("k", true), "v");
    EXPECT_EQ(o.string("n", false), std::nullopt);
    EXPECT_EQ(o.string("long", false, 3), std::nullopt);
    EXPECT_EQ(o.string("absent", true), std::nullopt);
    auto nil = in.nested("nil");
    EXPECT_EQ(nil.string("k", false), std::nullopt);
    auto missing = in.nested("missing");
    EXPECT_EQ(missing.string("k", false), std::nullopt);
    auto s = in.nested("s");
    EXPECT_EQ(s.string("k", false), std::nullopt);
    EXPECT_FALSE(o.ok());
    const std::map<std::string, std::string> expected{
        {"o.n", "must be a string"},
        {"o.long", "must be at most 3 characters"},
        {"o.absent", "is required"},
        {"s", "must be an object"}};
    EXPECT_EQ(failures(in), expected);
    EXPECT_THROW(o.check(), api_exception);
}

TEST(MeetingParam, AcceptsValidIdsAndThrowsValidationFailedOtherwise) {
    EXPECT_EQ(meeting_param("123"), meeting_id{"123"});
    try {
        (void)meeting_param("12;34");
        FAIL() << "no exception";
    } catch (const api_exception& e) {
        EXPECT_EQ(e.error.code, errc::validation_failed);
        EXPECT_EQ(e.error.fields.at("meetingId"), "must be 1-64 characters of [0-9A-Za-z_-]");
    }
}

}  // namespace
}  // namespace headcount::api
