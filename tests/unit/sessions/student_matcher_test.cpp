#include "sessions/student_matcher.hpp"

#include <gtest/gtest.h>

#include "sessions/student_index.hpp"
#include "support/sqlite_fixture.hpp"

namespace headcount::sessions {
namespace {

/// Matching rules against students stored in a real SQLite file, and held in memory.
class student_matcher_test : public testing::sqlite_fixture {
protected:
    void add(std::int64_t id, std::string first, std::string last, std::string email) {
        repos->sessions().students.upsert(index_student(
            {student_id{id}, std::move(first), std::move(last), "CS", std::move(email)}
        ));
    }

    static auth::user user_with(std::string email, std::optional<std::int64_t> linked = {}) {
        auth::user u;
        u.id = user_id{7};
        u.username = "someone";
        u.email = std::move(email);
        if (linked)
            u.linked_student = student_id{*linked};
        return u;
    }

    /// The match over storage, checked to be the one over the same students held in memory
    /// (what reports match with).
    std::optional<student_match> match(
        const auth::user& u, std::optional<std::string_view> name = std::nullopt
    ) {
        auto stored = match_student(repos->sessions().students, u, name);
        student_index held;
        for (const auto& s : repos->sessions().students.list())
            held.add(s);
        const auto in_memory = match_student(held, u, name);
        EXPECT_EQ(stored.has_value(), in_memory.has_value());
        if (stored && in_memory) {
            EXPECT_EQ(stored->who.id, in_memory->who.id);
            EXPECT_EQ(stored->rule, in_memory->rule);
        }
        return stored;
    }
};

TEST_F(student_matcher_test, an_explicit_link_wins_over_every_other_rule) {
    add(1, "Ada", "Lovelace", "ada@example.com");
    add(2, "Grace", "Hopper", "grace@example.com");
    const auto m = match(user_with("ada@example.com", 2), "Ada Lovelace");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{2});
    EXPECT_EQ(m->rule, match_rule::explicit_link);
    EXPECT_EQ(to_string(m->rule), "explicit");
}

TEST_F(student_matcher_test, a_link_to_a_student_that_is_gone_falls_through_to_email) {
    add(1, "Ada", "Lovelace", "ada@example.com");
    const auto m = match(user_with("ada@example.com", 99));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{1});
    EXPECT_EQ(m->rule, match_rule::email);
}

TEST_F(student_matcher_test, email_equality_ignores_case) {
    add(1, "Ada", "Lovelace", "Ada.Lovelace@Example.COM");
    const auto m = match(user_with("ada.lovelace@example.com"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{1});
    EXPECT_EQ(m->rule, match_rule::email);
    EXPECT_EQ(to_string(m->rule), "email");
}

TEST_F(student_matcher_test, the_email_local_part_matches_across_domains) {
    add(1, "John", "Doe", "john.doe@student.edu");
    add(2, "Jane", "Doe", "jane.doe@student.edu");
    const auto m = match(user_with("John.Doe@example.com"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{1});
    EXPECT_EQ(m->rule, match_rule::email_local_part);
    EXPECT_EQ(to_string(m->rule), "email-local-part");
}

TEST_F(student_matcher_test, the_name_matches_regardless_of_case_accents_and_spacing) {
    add(1, "José", "García", "jg@student.edu");
    const auto m = match(user_with("someone@example.com"), "  JOSE \t  garcia ");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{1});
    EXPECT_EQ(m->rule, match_rule::name);
    EXPECT_EQ(to_string(m->rule), "name");
}

TEST_F(student_matcher_test, a_name_written_with_accents_matches_a_student_stored_without) {
    add(1, "Zoe", "Muller", "zm@student.edu");
    const auto m = match(user_with("someone@example.com"), "Zoë Müller");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{1});
}

TEST_F(student_matcher_test, no_rule_gives_no_match) {
    add(1, "Ada", "Lovelace", "ada@student.edu");
    EXPECT_FALSE(match(user_with("grace@example.com"), "Grace Hopper"));
    EXPECT_FALSE(match(user_with("grace@example.com")));
}

TEST_F(student_matcher_test, two_students_with_the_email_are_no_match) {
    add(1, "Ada", "Lovelace", "shared@example.com");
    add(2, "Grace", "Hopper", "SHARED@example.com");
    EXPECT_FALSE(match(user_with("shared@example.com")));
}

TEST_F(student_matcher_test, an_ambiguous_rule_leaves_the_decision_to_the_next_one) {
    add(1, "Ada", "Lovelace", "shared@example.com");
    add(2, "Grace", "Hopper", "shared@example.com");
    const auto m = match(user_with("shared@example.com"), "grace hopper");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->who.id, student_id{2});
    EXPECT_EQ(m->rule, match_rule::name);
}

TEST_F(student_matcher_test, two_students_with_the_local_part_are_no_match) {
    add(1, "John", "Doe", "john.doe@a.edu");
    add(2, "Johnny", "Doe", "john.doe@b.edu");
    EXPECT_FALSE(match(user_with("john.doe@example.com")));
}

TEST_F(student_matcher_test, two_students_with_the_name_are_no_match) {
    add(1, "Ana", "Lima", "ana1@student.edu");
    add(2, "Ána", "LIMA", "ana2@student.edu");
    EXPECT_FALSE(match(user_with("someone@example.com"), "Ana Lima"));
}

TEST_F(student_matcher_test, a_blank_name_matches_nobody) {
    add(1, "Ana", "Lima", "ana1@student.edu");
    EXPECT_FALSE(match(user_with("someone@example.com"), "   "));
}

}  // namespace
}  // namespace headcount::sessions
