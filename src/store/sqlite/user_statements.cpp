// The user repository's statements on SQLite.
#include "store/sql/columns.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

const sql::user_queries dialect::users{
    .select_by_id = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users WHERE id = ?",
    .select_by_username = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users WHERE username_key = ?",
    .select_by_login = "SELECT " HEADCOUNT_USER_COLUMNS
                       " FROM users WHERE username_key = ?1 OR email_key = ?1 "
                       "ORDER BY username_key = ?1 DESC LIMIT 1",
    .select_all = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users ORDER BY id",
    .select_many =
        "SELECT " HEADCOUNT_USER_COLUMNS " FROM users WHERE id IN (SELECT value FROM json_each(?))",
    .username_taken = "SELECT 1 FROM users WHERE username_key = ?",
    .email_taken = "SELECT 1 FROM users WHERE email_key = ?",
    .insert_user =
        "INSERT INTO users (username, username_key, email, email_key, password_hash, role, "
        "created_at, "
        "updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    .update_role = "UPDATE users SET role = ?, updated_at = ? WHERE id = ?",
    .update_student = "UPDATE users SET student_id = ?, updated_at = ? WHERE id = ?",
};

}  // namespace headcount::store::sqlite
