#include "auth/password_hasher.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace headcount::auth {
namespace {

// One hasher for the file: each hash costs 64 MiB and tens of milliseconds.
const password_hasher& hasher() {
    static const password_hasher instance;
    return instance;
}

TEST(PasswordHasher, HashesWithArgon2idAtTheInteractiveLimitsAndAFreshSalt) {
    const auto a = hasher().hash("correct-horse");
    const auto b = hasher().hash("correct-horse");
    EXPECT_TRUE(a.starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << a;
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find("correct-horse"), std::string::npos);
}

TEST(PasswordHasher, VerifiesTheRightPasswordAndRefusesOthers) {
    const auto stored = hasher().hash("correct-horse");
    EXPECT_TRUE(hasher().verify("correct-horse", stored));
    EXPECT_FALSE(hasher().verify("correct-horsE", stored));
    EXPECT_FALSE(hasher().verify("correct-horse ", stored));
    EXPECT_FALSE(hasher().verify("", stored));
}

TEST(PasswordHasher, HandlesUnicodeAndEmbeddedNulBytes) {
    const std::string with_nul("pass\0word", 9);
    const auto stored = hasher().hash(with_nul);
    EXPECT_TRUE(hasher().verify(with_nul, stored));
    EXPECT_FALSE(hasher().verify("pass", stored));
    const auto unicode = hasher().hash("пароль-密码-🎓");
    EXPECT_TRUE(hasher().verify("пароль-密码-🎓", unicode));
}

TEST(PasswordHasher, RefusesAStoredValueThatIsNotAnArgon2Hash) {
    for (const std::string& bad : std::vector<std::string>{
             "", "correct-horse", "$2b$10$abcdefghijklmnopqrstuu",
             "$argon2id$v=19$m=65536,t=2,p=1$"}) {
        EXPECT_FALSE(hasher().verify("correct-horse", bad)) << bad;
    }
    auto stored = hasher().hash("correct-horse");
    stored.back() = stored.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(hasher().verify("correct-horse", stored));
}

TEST(PasswordHasher, VerifyNothingAcceptsAnyPasswordWithoutThrowing) {
    EXPECT_NO_THROW(hasher().verify_nothing("whatever"));
    EXPECT_NO_THROW(hasher().verify_nothing(""));
}

}  // namespace
}  // namespace headcount::auth
