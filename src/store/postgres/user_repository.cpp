#include "store/postgres/user_repository.hpp"

#include "common/text.hpp"

namespace headcount::store::postgres {
namespace {

#define USER_COLUMNS "id, username, email, role, student_id, password_hash"
constexpr const char* select_by_id = "SELECT " USER_COLUMNS " FROM users WHERE id = $1";
constexpr const char* select_by_username =
    "SELECT " USER_COLUMNS " FROM users WHERE username_key = $1";
constexpr const char* select_by_login = "SELECT " USER_COLUMNS
                                        " FROM users WHERE username_key = $1 OR email_key = $1 "
                                        "ORDER BY username_key = $1 DESC LIMIT 1";
constexpr const char* select_all = "SELECT " USER_COLUMNS " FROM users ORDER BY id";
constexpr const char* select_many =
    "SELECT " USER_COLUMNS " FROM users WHERE id = ANY ($1::bigint[])";
constexpr const char* username_taken = "SELECT 1 FROM users WHERE username_key = $1";
constexpr const char* email_taken = "SELECT 1 FROM users WHERE email_key = $1";
constexpr const char* insert_user =
    "INSERT INTO users (username, username_key, email, email_key, password_hash, role, created_at, "
    "updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr const char* update_role = "UPDATE users SET role = $1, updated_at = $2 WHERE id = $3";
constexpr const char* update_student =
    "UPDATE users SET student_id = $1, updated_at = $2 WHERE id = $3";
#undef USER_COLUMNS

auth::user read_user(const query& q) {
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

}  // namespace

std::optional<auth::user> user_repository::find_by_id(user_id id) {
    auto q = db_.prepare(select_by_id);
    q.with(id.value());
    if (!q.step())
        return std::nullopt;
    return read_user(q);
}

std::optional<auth::user> user_repository::find_by_username(std::string_view username) {
    auto q = db_.prepare(select_by_username);
    q.with(text::ascii_lower(username));
    if (!q.step())
        return std::nullopt;
    return read_user(q);
}

std::optional<auth::user> user_repository::find_by_login(std::string_view login) {
    auto q = db_.prepare(select_by_login);
    q.with(text::ascii_lower(login));
    if (!q.step())
        return std::nullopt;
    return read_user(q);
}

outcome<auth::user> user_repository::insert(const auth::new_user& u) {
    const auto username_key = text::ascii_lower(u.username);
    const auto email_key = text::ascii_lower(u.email);
    if (auto q = db_.prepare(username_taken); q.with(username_key).step()) {
        return api_error{errc::conflict, "Username is already taken", {}};
    }
    if (auto q = db_.prepare(email_taken); q.with(email_key).step()) {
        return api_error{errc::conflict, "Email is already taken", {}};
    }
    const auto now = to_epoch_ms(clock_.now());
    auto q = db_.prepare(insert_user);
    q.with(
        u.username, username_key, u.email, email_key, u.password_hash, auth::to_string(u.role), now,
        now
    );
    if (!q.step())
        throw error("", "insert of a user returned no id");
    auth::user created;
    created.id = user_id{q.int64(0)};
    created.username = u.username;
    created.email = u.email;
    created.role = u.role;
    created.password_hash = u.password_hash;
    return created;
}

std::vector<auth::user> user_repository::list() {
    std::vector<auth::user> out;
    auto q = db_.prepare(select_all);
    while (q.step())
        out.push_back(read_user(q));
    return out;
}

std::vector<auth::user> user_repository::find_many(const std::vector<user_id>& ids) {
    std::vector<std::int64_t> values;
    values.reserve(ids.size());
    for (const auto& id : ids)
        values.push_back(id.value());
    std::vector<auth::user> out;
    auto q = db_.prepare(select_many);
    q.with(array_literal(values));
    while (q.step())
        out.push_back(read_user(q));
    return out;
}

void user_repository::set_role(user_id id, auth::role r) {
    db_.prepare(update_role).with(auth::to_string(r), to_epoch_ms(clock_.now()), id.value()).run();
}

void user_repository::set_linked_student(user_id id, std::optional<student_id> student) {
    std::optional<std::int64_t> value;
    if (student)
        value = student->value();
    db_.prepare(update_student).with(value, to_epoch_ms(clock_.now()), id.value()).run();
}

}  // namespace headcount::store::postgres
