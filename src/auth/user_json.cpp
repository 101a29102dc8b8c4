#include "auth/user_json.hpp"

namespace headcount::auth {

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const user& u) {
    auto& o = v.emplace_object();
    o.reserve(5);
    o["id"] = std::to_string(u.id.value());
    o["username"] = u.username;
    o["email"] = u.email;
    o["role"] = to_string(u.role);
    if (u.linked_student) {
        o["studentId"] = u.linked_student->value();
    } else {
        o["studentId"] = nullptr;
    }
}

}  // namespace headcount::auth
