#include "sessions/student.hpp"

#include "common/text.hpp"

namespace headcount::sessions {

indexed_student index_student(student s) {
    auto name_key = text::normalize_name(s.full_name());
    auto email_local = text::email_local_part(s.email);
    return {std::move(s), std::move(name_key), std::move(email_local)};
}

std::string_view to_string(match_rule rule) {
    switch (rule) {
        case match_rule::explicit_link:
            return "explicit";
        case match_rule::email:
            return "email";
        case match_rule::email_local_part:
            return "email-local-part";
        case match_rule::name:
            return "name";
    }
    return "explicit";
}

std::optional<match_rule> parse_match_rule(std::string_view text) {
    if (text == "explicit")
        return match_rule::explicit_link;
    if (text == "email")
        return match_rule::email;
    if (text == "email-local-part")
        return match_rule::email_local_part;
    if (text == "name")
        return match_rule::name;
    return std::nullopt;
}

}  // namespace headcount::sessions
