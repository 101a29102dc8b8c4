#pragma once

#include <optional>
#include <string_view>

#include "auth/user.hpp"
#include "sessions/repositories.hpp"

namespace headcount::sessions {

/// Finds the student a user is (CONTRACT "Student matching"): the first rule that gives
/// exactly one student wins — the admin's explicit link, the email, the email's local part,
/// then the name the participant gave at join. Two or more candidates under a rule is no
/// match by that rule.
std::optional<student_match> match_student(
    student_repository& students, const auth::user& user, std::optional<std::string_view> given_name
);

}  // namespace headcount::sessions
