#include "common/csv.hpp"

#include <gtest/gtest.h>

namespace headcount::csv {
namespace {

using fields = std::vector<std::string>;

TEST(CsvParse, SplitsPlainRecordsWithLfOrCrlf) {
    const auto records = parse("a,b,c\r\n1,2,3\n4,,6");
    ASSERT_EQ(records.size(), 3U);
    EXPECT_EQ(records[0].fields, (fields{"a", "b", "c"}));
    EXPECT_EQ(records[1].fields, (fields{"1", "2", "3"}));
    EXPECT_EQ(records[2].fields, (fields{"4", "", "6"}));
    EXPECT_EQ(records[0].line, 1U);
    EXPECT_EQ(records[2].line, 3U);
    for (const auto& r : records)
        EXPECT_FALSE(r.error.has_value());
}

TEST(CsvParse, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
    const auto records = parse("name,note\n\"Doe, Jane\",\"said \"\"hi\"\"\nthen left\"\nnext,x\n");
    ASSERT_EQ(records.size(), 3U);
    EXPECT_EQ(records[1].fields, (fields{"Doe, Jane", "said \"hi\"\nthen left"}));
    EXPECT_EQ(records[1].line, 2U);
    // The record after a multi-line field starts on the line where it really is.
    EXPECT_EQ(records[2].line, 4U);
    EXPECT_EQ(records[2].fields, (fields{"next", "x"}));
}

TEST(CsvParse, SkipsABomAndBlankLines) {
    const auto records = parse("\xEF\xBB\xBFid,name\n\n\r\n7,Ann\n\n");
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].fields, (fields{"id", "name"}));
    EXPECT_EQ(records[1].fields, (fields{"7", "Ann"}));
    EXPECT_EQ(records[1].line, 4U);
}

TEST(CsvParse, EmptyTextHasNoRecordsAndTrailingCommaIsAnEmptyField) {
    EXPECT_TRUE(parse("").empty());
    EXPECT_TRUE(parse("\xEF\xBB\xBF").empty());
    const auto records = parse("a,\n");
    ASSERT_EQ(records.size(), 1U);
    EXPECT_EQ(records[0].fields, (fields{"a", ""}));
    EXPECT_EQ(parse("\"\"")[0].fields, (fields{""}));
}

TEST(CsvParse, MalformedRecordsSayWhyAndParsingGoesOn) {
    const auto records = parse("a,\"b\"x,c\nok,1\nd\"e,f\n\"never closed,g\n");
    ASSERT_EQ(records.size(), 4U);
    EXPECT_EQ(records[0].error, "unexpected text after a closing quote");
    EXPECT_FALSE(records[1].error.has_value());
    EXPECT_EQ(records[1].fields, (fields{"ok", "1"}));
    EXPECT_EQ(records[2].error, "a quote inside an unquoted field");
    EXPECT_EQ(records[3].error, "a quoted field is not closed");
    EXPECT_EQ(records[3].line, 4U);
}

TEST(CsvWrite, QuotesOnlyWhatNeedsItAndRoundTrips) {
    std::string out;
    write_row(out, {"plain", "with,comma", "with \"quote\"", "two\nlines", "", "cr\r"});
    EXPECT_EQ(out, "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",,\"cr\r\"\r\n");
    const auto back = parse(out);
    ASSERT_EQ(back.size(), 1U);
    EXPECT_EQ(
        back[0].fields, (fields{"plain", "with,comma", "with \"quote\"", "two\nlines", "", "cr\r"})
    );
}

TEST(CsvWrite, NeutralisesCellsASpreadsheetWouldRunAsFormulas) {
    const struct {
        std::string_view field;
        std::string_view written;
        bool neutralised;
    } vectors[] = {
        {"=1+2", "'=1+2", true},
        {"+SUM(1,2)", "\"'+SUM(1,2)\"", true},
        {"-2+3", "'-2+3", true},
        {"@SUM(A1)", "'@SUM(A1)", true},
        {"\t=1", "'\t=1", true},
        {"\r=1", "\"'\r=1\"", true},
        {R"csv(=HYPERLINK("http://evil.example","click"))csv",
         R"csv("'=HYPERLINK(""http://evil.example"",""click"")")csv", true},
        {"'already text", "'already text", false},
        {"a=1", "a=1", false},
        {" =1", " =1", false},
        {"2024-05-01T10:00:00.000Z/", "2024-05-01T10:00:00.000Z/", false},
        {"", "", false},
    };
    for (const auto& v : vectors) {
        std::string out;
        write_field(out, v.field);
        EXPECT_EQ(out, v.written) << v.field;
        // A CSV reader gets the text back, after the leading quote where one was added.
        out.append(",end\r\n");
        const auto back = parse(out);
        ASSERT_EQ(back.size(), 1U) << v.field;
        const auto text = (v.neutralised ? "'" : "") + std::string(v.field);
        EXPECT_EQ(back[0].fields, (fields{text, "end"})) << v.field;
    }
}

}  // namespace
}  // namespace headcount::csv
