#include "common/text.hpp"

#include <gtest/gtest.h>

namespace headcount::text {
namespace {

TEST(NormalizeName, FoldsCaseAccentsAndWhitespace) {
    struct vector {
        std::string_view in;
        std::string_view out;
    };
    const vector vectors[] = {
        {"  José   ÁLVAREZ ", "jose alvarez"},
        {"Zoë\tSaldaña", "zoe saldana"},
        {"ＡＢＣ", "abc"},
        {"Straße", "strasse"},
        {"O’Brien", "o'brien"},
        {"FIona", "fiona"},
        {"Ann\nLee", "ann lee"},
        {"   ", ""},
        {"", ""},
        {"Dvořák", "dvorak"},
    };
    for (const auto& v : vectors)
        EXPECT_EQ(normalize_name(v.in), v.out) << v.in;
}

TEST(NormalizeName, InvalidUtf8GivesAnEmptyKey) {
    EXPECT_EQ(normalize_name("Jos\xe9"), "");
    EXPECT_EQ(normalize_name("\xc3"), "");
}

TEST(IsValidUtf8, AcceptsWellFormedAndRefusesTheRest) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("ascii"));
    EXPECT_TRUE(is_valid_utf8("José 🎓 日本"));
    EXPECT_FALSE(is_valid_utf8("\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
    EXPECT_FALSE(is_valid_utf8("ok\x80"));
    // What RFC 6455 text frames must also pass (the WebSocket reader uses this validator).
    for (const std::string_view ok :
         {"h\xc3\xa9", "\xe2\x9c\x93", "\xf4\x8f\xbf\xbf", "\xef\xbf\xbf"})
        EXPECT_TRUE(is_valid_utf8(ok)) << ok;
    for (const std::string_view bad :
         {"\x80", "\xc3\x28", "\xe0\x80\xaf", "\xf8\x88\x80\x80\x80", "\xe2\x9c", "ok\xff"})
        EXPECT_FALSE(is_valid_utf8(bad)) << bad;
}

TEST(AsciiLower, LowersOnlyAscii) {
    EXPECT_EQ(ascii_lower("John.DOE@Example.ORG"), "john.doe@example.org");
    EXPECT_EQ(ascii_lower("ÉCOLE"), "École");
}

TEST(Trim, RemovesAsciiWhitespaceAtBothEnds) {
    EXPECT_EQ(trim("  a b \t\r\n"), "a b");
    EXPECT_EQ(trim(" \t "), "");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim("x"), "x");
}

TEST(EmailLocalPart, IsThePartBeforeTheFirstAtLowerCased) {
    EXPECT_EQ(email_local_part("John.Doe@x.org"), "john.doe");
    EXPECT_EQ(email_local_part("no-at-sign"), "no-at-sign");
    EXPECT_EQ(email_local_part("a@b@c"), "a");
    EXPECT_EQ(email_local_part("@x.org"), "");
}

}  // namespace
}  // namespace headcount::text
