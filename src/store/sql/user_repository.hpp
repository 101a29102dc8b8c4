#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "auth/user_repository.hpp"
#include "common/clock.hpp"
#include "common/text.hpp"
#include "store/sql/dialect.hpp"

namespace headcount::store::sql {

/// Accounts in the `users` table.
template <dialect D>
class user_repository final : public auth::user_repository {
public:
    user_repository(typename D::connection& db, const clock& clk) : db_(db), clock_(clk) {}

    std::optional<auth::user> find_by_id(user_id id) override;
    std::optional<auth::user> find_by_username(std::string_view username) override;
    std::optional<auth::user> find_by_login(std::string_view login) override;
    outcome<auth::user> insert(const auth::new_user& u) override;
    std::vector<auth::user> list() override;
    std::vector<auth::user> find_many(const std::vector<user_id>& ids) override;
    void set_role(user_id id, auth::role r) override;
    void set_linked_student(user_id id, std::optional<student_id> student) override;

private:
    typename D::connection& db_;
    const clock& clock_;
};

namespace detail {

template <class Query>
auth::user read_user(const Query& q) {
    auth::user u;
    u.id = user_id{q.int64(0)};
    u.username = q.text(1);
    u.email = q.text(2);
    u.role = auth::parse_role(q.text_view(3)).value_or(auth::role::user);
    if (const auto s = q.optional_int64(4))
        u.linked_student = student_id{*s};
    u.password_hash = q.text(5);
    return u;
}

}  // namespace detail

template <dialect D>
std::optional<auth::user> user_repository<D>::find_by_id(user_id id) {
    auto q = db_.prepare(D::users.select_by_id);
    q.with(id.value());
    if (!q.step())
        return std::nullopt;
    return detail::read_user(q);
}

template <dialect D>
std::optional<auth::user> user_repository<D>::find_by_username(std::string_view username) {
    auto q = db_.prepare(D::users.select_by_username);
    q.with(text::ascii_lower(username));
    if (!q.step())
        return std::nullopt;
    return detail::read_user(q);
}

template <dialect D>
std::optional<auth::user> user_repository<D>::find_by_login(std::string_view login) {
    auto q = db_.prepare(D::users.select_by_login);
    q.with(text::ascii_lower(login));
    if (!q.step())
        return std::nullopt;
    return detail::read_user(q);
}

template <dialect D>
outcome<auth::user> user_repository<D>::insert(const auth::new_user& u) {
    const auto username_key = text::ascii_lower(u.username);
    const auto email_key = text::ascii_lower(u.email);
    if (auto q = db_.prepare(D::users.username_taken); q.with(username_key).step()) {
        return api_error{errc::conflict, "Username is already taken", {}};
    }
    if (auto q = db_.prepare(D::users.email_taken); q.with(email_key).step()) {
        return api_error{errc::conflict, "Email is already taken", {}};
    }
    const auto now = to_epoch_ms(clock_.now());
    auto insert = db_.prepare(D::users.insert_user);
    insert.with(
        u.username, username_key, u.email, email_key, u.password_hash, auth::to_string(u.role), now,
        now
    );
    auth::user created;
    created.id = user_id{D::inserted_id(db_, insert)};
    created.username = u.username;
    created.email = u.email;
    created.role = u.role;
    created.password_hash = u.password_hash;
    return created;
}

template <dialect D>
std::vector<auth::user> user_repository<D>::list() {
    std::vector<auth::user> out;
    auto q = db_.prepare(D::users.select_all);
    while (q.step())
        out.push_back(detail::read_user(q));
    return out;
}

template <dialect D>
std::vector<auth::user> user_repository<D>::find_many(const std::vector<user_id>& ids) {
    std::vector<std::int64_t> values;
    values.reserve(ids.size());
    for (const auto& id : ids)
        values.push_back(id.value());
    std::vector<auth::user> out;
    auto q = db_.prepare(D::users.select_many);
    q.with(D::list(values));
    while (q.step())
        out.push_back(detail::read_user(q));
    return out;
}

template <dialect D>
void user_repository<D>::set_role(user_id id, auth::role r) {
    db_.prepare(D::users.update_role)
        .with(auth::to_string(r), to_epoch_ms(clock_.now()), id.value())
        .run();
}

template <dialect D>
void user_repository<D>::set_linked_student(user_id id, std::optional<student_id> student) {
    std::optional<std::int64_t> value;
    if (student)
        value = student->value();
    db_.prepare(D::users.update_student).with(value, to_epoch_ms(clock_.now()), id.value()).run();
}

}  // namespace headcount::store::sql
