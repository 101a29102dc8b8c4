#include "common/json_writer.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "common/json.hpp"

namespace headcount::json {
namespace {

std::string quoted(std::string_view s) {
    std::string out;
    write_string(out, s);
    return out;
}

std::string number(double d) {
    std::string out;
    write_number(out, d);
    return out;
}

TEST(JsonString, EscapesLikeJsonStringify) {
    EXPECT_EQ(quoted("plain"), R"("plain")");
    EXPECT_EQ(quoted("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
    EXPECT_EQ(quoted(std::string_view("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
    // Slash, DEL and everything non-ASCII pass through as they are.
    EXPECT_EQ(quoted("/\x7f"), "\"/\x7f\"");
    EXPECT_EQ(quoted("José 🎓 日本"), "\"José 🎓 日本\"");
    EXPECT_EQ(quoted(""), R"("")");
}

TEST(JsonNumber, UsesEcmaScriptNumberToString) {
    struct vector {
        double value;
        std::string_view text;
    };
    const vector vectors[] = {
        {0, "0"},
        {-0.0, "0"},
        {3, "3"},
        {-3, "-3"},
        {12.5, "12.5"},
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {123456789012, "123456789012"},
        {1e21, "1e+21"},
        {1e20, "100000000000000000000"},
        {1.5e-7, "1.5e-7"},
        {0.000001, "0.000001"},
        {-2.5e-10, "-2.5e-10"},
        {std::numeric_limits<double>::infinity(), "null"},
        {std::nan(""), "null"},
    };
    for (const auto& v : vectors)
        EXPECT_EQ(number(v.value), v.text) << v.text;
}

TEST(JsonWrite, KeepsMemberOrder) {
    const auto v = parse(R"({"z":1,"a":[true,null,"x"],"m":{"k":2.25}})");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(to_string(*v), R"({"z":1,"a":[true,null,"x"],"m":{"k":2.25}})");
}

TEST(JsonParse, RefusesInvalidUtf8AndInvalidJson) {
    EXPECT_TRUE(parse(R"({"name":"José"})").has_value());
    EXPECT_TRUE(parse(R"("\ud83c\udf93")").has_value());
    EXPECT_FALSE(parse("{\"name\":\"\xff\"}").has_value());
    EXPECT_FALSE(parse("{\"name\":\"\xc3\"}").has_value());
    EXPECT_FALSE(parse("{\"a\":1,}").has_value());
    EXPECT_FALSE(parse("{'a':1}").has_value());
    EXPECT_FALSE(parse("").has_value());
    EXPECT_FALSE(parse("{} {}").has_value());
    EXPECT_FALSE(parse(std::string(65, '[') + std::string(65, ']')).has_value());
    EXPECT_TRUE(parse(std::string(60, '[') + std::string(60, ']')).has_value());
}

TEST(JsonWriter, PlacesCommasAndMatchesTheTreeWriter) {
    std::string out;
    writer w(out);
    w.begin_object()
        .member("id", std::string("42"))
        .member("name", "Zoë \"Z\"")
        .member("count", 3)
        .member("duration", 12.5)
        .member("active", false)
        .member("studentId", std::optional<std::int64_t>{})
        .member("joinTime", from_epoch_ms(1705399200000))
        .key("intervals")
        .begin_array();
    w.begin_object().member("n", std::size_t{1}).end_object();
    w.begin_object().end_object();
    w.begin_array().end_array();
    w.end_array().key("raw").raw(R"({"a":1})").member("nil", nullptr).end_object();
    const std::string expected =
        R"({"id":"42","name":"Zoë \"Z\"","count":3,"duration":12.5,"active":false,)"
        R"("studentId":null,"joinTime":"2024-01-16T10:00:00.000Z","intervals":[{"n":1},{},[]],)"
        R"("raw":{"a":1},"nil":null})";
    EXPECT_EQ(out, expected);
    const auto tree = parse(out);
    ASSERT_TRUE(tree.has_value());
    EXPECT_EQ(to_string(*tree), expected);
}

TEST(JsonWriter, EscapesValuesAndWritesTopLevelScalars) {
    std::string out;
    writer(out).value("line\nbreak\x01");
    EXPECT_EQ(out, R"("line\nbreak\u0001")");
    out.clear();
    writer w(out);
    w.begin_array().value(-1).value(true).value(0.5).end_array();
    EXPECT_EQ(out, "[-1,true,0.5]");
}

}  // namespace
}  // namespace headcount::json
