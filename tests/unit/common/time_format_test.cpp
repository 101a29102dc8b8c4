#include "common/time_format.hpp"

#include <gtest/gtest.h>

namespace headcount {
namespace {

constexpr std::int64_t jan16_10h = 1705399200000;  // 2024-01-16T10:00:00.000Z

TEST(FormatIso, MatchesJavaScriptToIsoString) {
    EXPECT_EQ(format_iso(from_epoch_ms(0)), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_iso(from_epoch_ms(jan16_10h)), "2024-01-16T10:00:00.000Z");
    EXPECT_EQ(format_iso(from_epoch_ms(jan16_10h + 7)), "2024-01-16T10:00:00.007Z");
    EXPECT_EQ(format_iso(from_epoch_ms(951782399999)), "2000-02-28T23:59:59.999Z");
    EXPECT_EQ(format_iso(from_epoch_ms(951868800000)), "2000-03-01T00:00:00.000Z");
    EXPECT_EQ(format_iso(from_epoch_ms(-1)), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(format_iso(from_epoch_ms(-62167219200000)), "0000-01-01T00:00:00.000Z");
    EXPECT_EQ(format_iso(from_epoch_ms(253402300799999)), "9999-12-31T23:59:59.999Z");
    EXPECT_EQ(format_iso(from_epoch_ms(253402300800000)), "10000-01-01T00:00:00.000Z");
}

TEST(FormatIso, AppendKeepsWhatWasThere) {
    std::string out = "at ";
    append_iso(out, from_epoch_ms(jan16_10h));
    EXPECT_EQ(out, "at 2024-01-16T10:00:00.000Z");
}

TEST(ParseIso, ReadsTheFormsClientsSend) {
    struct vector {
        std::string_view text;
        std::int64_t ms;
    };
    const vector vectors[] = {
        {"2024-01-16T10:00:00.000Z", jan16_10h},
        {"2024-01-16T10:00:00Z", jan16_10h},
        {"2024-01-16T10:00Z", jan16_10h},
        {"2024-01-16T10:00:00", jan16_10h},
        {"2024-01-16t10:00:00z", jan16_10h},
        {"2024-01-16 10:00:00", jan16_10h},
        {"2024-01-16", jan16_10h - 10 * 3600000},
        {"2024-01-16T12:00:00+02:00", jan16_10h},
        {"2024-01-16T12:00:00+0200", jan16_10h},
        {"2024-01-16T05:30:00-04:30", jan16_10h},
        {"2024-01-16T10:00:00.5Z", jan16_10h + 500},
        {"2024-01-16T10:00:00.123Z", jan16_10h + 123},
        {"2024-01-16T10:00:00.123456Z", jan16_10h + 123},
        {"2024-02-29T00:00:00Z", 1709164800000},
        {"2024-01-17T00:30:00+01:00", jan16_10h + 13 * 3600000 + 30 * 60000},
    };
    for (const auto& v : vectors) {
        const auto t = parse_iso(v.text);
        ASSERT_TRUE(t.has_value()) << v.text;
        EXPECT_EQ(to_epoch_ms(*t), v.ms) << v.text;
    }
}

TEST(ParseIso, RoundTripsItsOwnFormat) {
    for (const std::int64_t ms : {0LL, 1LL, 999LL, 1705399200123LL, 4102444799999LL}) {
        const auto t = from_epoch_ms(ms);
        EXPECT_EQ(parse_iso(format_iso(t)), t) << ms;
    }
}

TEST(ParseIso, RefusesWhatIsNotATime) {
    for (const std::string_view bad : {
             "",
             "2024",
             "2024-1-16",
             "2024-01-16T",
             "2024-01-16T10",
             "2024-01-16T10:00:",
             "2024-01-16T10:00:00.",
             "2024-01-16T10:00:00.000ZZ",
             "2024-01-16T10:00:00 UTC",
             "2024-01-16T10:00:00+2",
             "2024-01-16T10:00:00+24:00",
             "2024-13-01",
             "2023-02-29",
             "2024-01-32",
             "2024-01-16T24:00:00Z",
             "2024-01-16T10:60:00Z",
             "2024-01-16T10:00:60Z",
             "2024-01-16X10:00:00",
             " 2024-01-16",
             "2024-01-16 ",
             "Tue Jan 16 2024",
             "1705399200000",
         }) {
        EXPECT_FALSE(parse_iso(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace headcount
