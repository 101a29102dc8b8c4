#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/ids.hpp"

namespace headcount::auth {

enum class role { user, admin };

inline std::string_view to_string(role r) {
    switch (r) {
        case role::user:
            return "user";
        case role::admin:
            return "admin";
    }
    return "user";
}
inline std::optional<role> parse_role(std::string_view s) {
    if (s == "user")
        return role::user;
    if (s == "admin")
        return role::admin;
    return std::nullopt;
}

/// An account. The role always comes from storage, never from a token.
struct user {
    user_id id;
    std::string username;
    std::string email;
    auth::role role = role::user;
    std::optional<student_id> linked_student;  ///< set by an admin: the `explicit` match
    std::string password_hash;

    bool is_admin() const { return role == role::admin; }
};

/// A new account before storage numbers it.
struct new_user {
    std::string username;
    std::string email;
    auth::role role = role::user;
    std::string password_hash;
};

}  // namespace headcount::auth
