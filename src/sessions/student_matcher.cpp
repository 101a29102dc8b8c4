#include "sessions/student_matcher.hpp"

#include "common/text.hpp"

namespace headcount::sessions {
namespace {

std::optional<student_match> only(std::vector<student> candidates, match_rule rule) {
    if (candidates.size() != 1)
        return std::nullopt;
    return student_match{std::move(candidates.front()), rule};
}

}  // namespace

std::optional<student_match> match_student(
    student_repository& students, const auth::user& user, std::optional<std::string_view> given_name
) {
    if (user.linked_student) {
        if (auto s = students.find(*user.linked_student)) {
            return student_match{std::move(*s), match_rule::explicit_link};
        }
    }
    if (auto m = only(students.find_by_email(user.email, 2), match_rule::email))
        return m;
    if (const auto local = text::email_local_part(user.email); !local.empty()) {
        if (auto m = only(students.find_by_email_local(local, 2), match_rule::email_local_part)) {
            return m;
        }
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
