#include "common/json_tree_writer.hpp"

#include <gtest/gtest.h>

#include "common/json.hpp"
#include "common/json_writer.hpp"

namespace headcount::json {
namespace {

constexpr std::int64_t jan16_10h = 1705399200000;  // 2024-01-16T10:00:00.000Z

/// One document, written through whichever writer it is given.
template <class Out>
void write_document(Out& out) {
    const std::optional<std::string> none;
    const std::optional<std::string> some = "here";
    out.begin_object()
        .member("name", "Ada \"Countess\" Lovelace")
        .member("count", 3)
        .member("minutes", 12.25)
        .member("whole", 30.0)
        .member("active", true)
        .member("missing", none)
        .member("present", some)
        .member("at", from_epoch_ms(jan16_10h));
    out.key("intervals").begin_array();
    out.begin_object().member("from", 1).member("to", nullptr).end_object();
    out.begin_array().value(std::size_t{7}).value(false).end_array();
    out.begin_object().end_object();
    out.end_array();
    out.key("nested").begin_object().key("empty").begin_array().end_array().end_object();
    out.member("last", std::string("end")).end_object();
}

TEST(JsonTreeWriter, BuildsTheValueTheTextWriterPrints) {
    std::string text;
    writer printed(text);
    write_document(printed);

    tree_writer built;
    write_document(built);
    const auto value = built.release();

    // The same text; as values they differ only where JSON does not tell (30.0 is a double
    // here, an integer when parsed back).
    EXPECT_EQ(to_string(value), text);
    EXPECT_EQ(value.at("whole").as_double(), 30.0);
    EXPECT_EQ(value.at("at").as_string(), "2024-01-16T10:00:00.000Z");
    EXPECT_EQ(value.at("intervals").as_array().size(), 3U);
    EXPECT_TRUE(value.at("missing").is_null());
    EXPECT_EQ(value.at("minutes").as_double(), 12.25);
}

TEST(JsonTreeWriter, ReleaseLeavesItEmptyForTheNextDocument) {
    tree_writer out;
    out.begin_array().value(1).end_array();
    EXPECT_EQ(to_string(out.release()), "[1]");
    EXPECT_TRUE(out.release().is_null());
    out.value("alone");
    EXPECT_EQ(out.release().as_string(), "alone");
}

}  // namespace
}  // namespace headcount::json
