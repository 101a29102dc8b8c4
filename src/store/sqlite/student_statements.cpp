// The student repository's statements on SQLite.
#include "store/sql/columns.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

const sql::student_queries dialect::students{
    .select_one = "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students WHERE student_id = ?",
    .select_all = "SELECT " HEADCOUNT_STUDENT_COLUMNS " FROM students ORDER BY student_id",
    .select_by_email = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                       " FROM students WHERE email_key = ? ORDER BY student_id LIMIT ?",
    .select_by_email_local = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                             " FROM students WHERE email_local = ? ORDER BY student_id LIMIT ?",
    .select_by_name = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                      " FROM students WHERE name_key = ? ORDER BY student_id LIMIT ?",
    .select_many = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                   " FROM students WHERE student_id IN (SELECT value FROM json_each(?))",
    .select_by_emails = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                        " FROM students WHERE email_key IN (SELECT value FROM json_each(?))",
    .select_by_email_locals =
        "SELECT " HEADCOUNT_STUDENT_COLUMNS
        " FROM students WHERE email_local IN (SELECT value FROM json_each(?))",
    .select_by_names = "SELECT " HEADCOUNT_STUDENT_COLUMNS
                       " FROM students WHERE name_key IN (SELECT value FROM json_each(?))",
    .exists = "SELECT 1 FROM students WHERE student_id = ?",
    .upsert_student =
        "INSERT INTO students (student_id, first_name, last_name, department, email, email_key, "
        "email_local, "
        "name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) "
        "ON CONFLICT (student_id) DO UPDATE SET first_name = excluded.first_name, "
        "last_name = excluded.last_name, department = excluded.department, email = excluded.email, "
        "email_key = excluded.email_key, email_local = excluded.email_local, name_key = "
        "excluded.name_key, "
        "updated_at = excluded.updated_at",
};

}  // namespace headcount::store::sqlite
