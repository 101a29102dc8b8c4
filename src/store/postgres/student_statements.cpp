// The student repository's statements on PostgreSQL.
#include "store/postgres/dialect.hpp"
#include "store/sql/columns.hpp"

namespace headcount::store::postgres {

const sql::student_queries dialect::students{
    .select_one = "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students WHERE student_id = $1",
    .select_all = "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students ORDER BY student_id",
    .select_by_email = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                       " FROM students WHERE email_key = $1 ORDER BY student_id LIMIT $2",
    .select_by_email_local = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                             " FROM students WHERE email_local = $1 ORDER BY student_id LIMIT $2",
    .select_by_name = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                      " FROM students WHERE name_key = $1 ORDER BY student_id LIMIT $2",
    .select_many =
        "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students WHERE student_id = ANY ($1::bigint[])",
    .select_by_emails =
        "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students WHERE email_key = ANY ($1::text[])",
    .select_by_email_locals =
        "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students WHERE email_local = ANY ($1::text[])",
    .select_by_names =
        "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students WHERE name_key = ANY ($1::text[])",
    .exists = "SELECT 1 FROM students WHERE student_id = $1",
    .upsert_student =
        "INSERT INTO students (student_id, first_name, last_name, department, email, email_key, "
        "email_local, "
        "name_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
        "ON CONFLICT (student_id) DO UPDATE SET first_name = excluded.first_name, "
        "last_name = excluded.last_name, department = excluded.department, email = excluded.email, "
        "email_key = excluded.email_key, email_local = excluded.email_local, name_key = "
        "excluded.name_key, "
        "updated_at = excluded.updated_at",
};

}  // namespace headcount::store::postgres
