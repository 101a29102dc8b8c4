#pragma once

#include <optional>
#include <vector>

#include "auth/user.hpp"
#include "common/errors.hpp"

namespace headcount::auth {

/// Where accounts are kept. Usernames and emails are unique regardless of ASCII case.
/// Used inside one storage transaction; not thread-safe.
class user_repository {
public:
    virtual ~user_repository() = default;

    virtual std::optional<user> find_by_id(user_id id) = 0;
    virtual std::optional<user> find_by_username(std::string_view username) = 0;
    /// By username or email, case-insensitively.
    virtual std::optional<user> find_by_login(std::string_view login) = 0;
    /// The stored user, or `conflict` naming what is taken.
    virtual outcome<user> insert(const new_user& u) = 0;
    virtual std::vector<user> list() = 0;
    /// The users of `ids` that exist, in any order.
    virtual std::vector<user> find_many(const std::vector<user_id>& ids) = 0;
    virtual void set_role(user_id id, role r) = 0;
    virtual void set_linked_student(user_id id, std::optional<student_id> student) = 0;
};

}  // namespace headcount::auth
