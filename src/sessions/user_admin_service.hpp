#pragma once

#include <optional>
#include <vector>

#include "auth/user.hpp"
#include "common/errors.hpp"
#include "sessions/repositories.hpp"

namespace headcount::sessions {

/// A change an admin makes to a user; absent members stay as they are.
struct user_patch {
    std::optional<auth::role> role;
    /// Present: link to this student, or unlink when it holds nullopt.
    std::optional<std::optional<student_id>> linked_student;
};

/// Accounts as admins manage them: the list, role changes and explicit student links.
class user_admin_service {
public:
    static std::vector<auth::user> list(session_store& store);
    /// `not_found` for an unknown user, `validation_failed` for an unknown student id.
    static outcome<auth::user> patch(session_store& store, user_id id, const user_patch& change);
};

}  // namespace headcount::sessions
