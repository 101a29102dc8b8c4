// The user repository's statements on PostgreSQL.
#include "store/postgres/dialect.hpp"
#include "store/sql/columns.hpp"

namespace headcount::store::postgres {

const sql::user_queries dialect::users{
    .select_by_id = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users WHERE id = $1",
    .select_by_username = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users WHERE username_key = $1",
    .select_by_login = "SELECT " HEADCOUNT_USER_COLUMNS
                       " FROM users WHERE username_key = $1 OR email_key = $1 "
                       "ORDER BY username_key = $1 DESC LIMIT 1",
    .select_all = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users ORDER BY id",
    .select_many = "SELECT " HEADCOUNT_USER_COLUMNS " FROM users WHERE id = ANY ($1::bigint[])",
    .username_taken = "SELECT 1 FROM users WHERE username_key = $1",
    .email_taken = "SELECT 1 FROM users WHERE email_key = $1",
    .insert_user =
        "INSERT INTO users (username, username_key, email, email_key, password_hash, role, "
        "created_at, "
        "updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    .update_role = "UPDATE users SET role = $1, updated_at = $2 WHERE id = $3",
    .update_student = "UPDATE users SET student_id = $1, updated_at = $2 WHERE id = $3",
};

}  // namespace headcount::store::postgres
