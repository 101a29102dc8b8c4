#pragma once

#include "auth/user_repository.hpp"
#include "common/clock.hpp"
#include "store/postgres/connection.hpp"

namespace headcount::store::postgres {

/// Accounts in the `users` table.
class user_repository final : public auth::user_repository {
public:
    user_repository(connection& db, const clock& clk) : db_(db), clock_(clk) {}

    std::optional<auth::user> find_by_id(user_id id) override;
    std::optional<auth::user> find_by_username(std::string_view username) override;
    std::optional<auth::user> find_by_login(std::string_view login) override;
    outcome<auth::user> insert(const auth::new_user& u) override;
    std::vector<auth::user> list() override;
    std::vector<auth::user> find_many(const std::vector<user_id>& ids) override;
    void set_role(user_id id, auth::role r) override;
    void set_linked_student(user_id id, std::optional<student_id> student) override;

private:
    connection& db_;
    const clock& clock_;
};

}  // namespace headcount::store::postgres
