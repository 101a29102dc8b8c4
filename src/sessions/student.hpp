#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/ids.hpp"

namespace headcount::sessions {

/// A student record from the institution (the seed's Student model).
struct student {
    student_id id;
    std::string first_name;
    std::string last_name;
    std::string department;
    std::string email;

    std::string full_name() const { return first_name + " " + last_name; }
};

/// A student with the keys matching searches by: the normalised full name and the
/// lower-cased local part of the email.
struct indexed_student {
    student record;
    std::string name_key;
    std::string email_local;
};
indexed_student index_student(student s);

/// Which rule linked a user to a student (CONTRACT "Student matching"), in priority order.
enum class match_rule { explicit_link, email, email_local_part, name };

std::string_view to_string(match_rule rule);
std::optional<match_rule> parse_match_rule(std::string_view text);

/// A student and the rule that found them.
struct student_match {
    student who;
    match_rule rule = match_rule::explicit_link;
};

}  // namespace headcount::sessions
