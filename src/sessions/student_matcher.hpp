#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "auth/user.hpp"
#include "common/text.hpp"
#include "sessions/student.hpp"

namespace headcount::sessions {

/// Finds the student a user is (CONTRACT "Student matching"): the first rule that gives
/// exactly one student wins — the admin's explicit link, the email, the email's local part,
/// then the name the participant gave at join. Two or more candidates under a rule is no
/// match by that rule. `Students` is storage (student_repository) or students held in memory
/// (student_index): anything with their four lookups.
template <class Students>
std::optional<student_match> match_student(
    Students& students, const auth::user& user, std::optional<std::string_view> given_name
) {
    const auto only = [](std::vector<student> candidates,
                         match_rule rule) -> std::optional<student_match> {
        if (candidates.size() != 1)
            return std::nullopt;
        return student_match{std::move(candidates.front()), rule};
    };
    if (user.linked_student) {
        if (auto s = students.find(*user.linked_student))
            return student_match{std::move(*s), match_rule::explicit_link};
    }
    if (auto m = only(students.find_by_email(user.email, 2), match_rule::email))
        return m;
    if (const auto local = text::email_local_part(user.email); !local.empty()) {
        if (auto m = only(students.find_by_email_local(local, 2), match_rule::email_local_part))
            return m;
    }
    if (given_name) {
        if (const auto key = text::normalize_name(*given_name); !key.empty()) {
            if (auto m = only(students.find_by_name_key(key, 2), match_rule::name))
                return m;
        }
    }
    return std::nullopt;
}

}  // namespace headcount::sessions
