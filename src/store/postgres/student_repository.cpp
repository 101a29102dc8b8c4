#include "store/postgres/student_repository.hpp"

#include "common/text.hpp"

namespace headcount::store::postgres {
namespace {

#define STUDENT_COLUMNS "student_id, first_name, last_name, department, email"
constexpr const char* select_one = "SELECT " STUDENT_COLUMNS " FROM students WHERE student_id = $1";
constexpr const char* select_all = "SELECT " STUDENT_COLUMNS " FROM students ORDER BY student_id";
constexpr const char* select_by_email =
    "SELECT " STUDENT_COLUMNS " FROM students WHERE email_key = $1 ORDER BY student_id LIMIT $2";
constexpr const char* select_by_email_local =
    "SELECT " STUDENT_COLUMNS " FROM students WHERE email_local = $1 ORDER BY student_id LIMIT $2";
constexpr const char* select_by_name =
    "SELECT " STUDENT_COLUMNS " FROM students WHERE name_key = $1 ORDER BY student_id LIMIT $2";
constexpr const char* select_many =
    "SELECT " STUDENT_COLUMNS " FROM students WHERE student_id = ANY ($1::bigint[])";
constexpr const char* select_by_emails =
    "SELECT " STUDENT_COLUMNS " FROM students WHERE email_key = ANY ($1::text[])";
constexpr const char* exists = "SELECT 1 FROM students WHERE student_id = $1";
constexpr const char* upsert_student =
    "INSERT INTO students (student_id, first_name, last_name, department, email, email_key, "
    "email_local, "
    "name_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
    "ON CONFLICT (student_id) DO UPDATE SET first_name = excluded.first_name, "
    "last_name = excluded.last_name, department = excluded.department, email = excluded.email, "
    "email_key = excluded.email_key, email_local = excluded.email_local, name_key = "
    "excluded.name_key, "
    "updated_at = excluded.updated_at";
#undef STUDENT_COLUMNS

sessions::student read_student(const query& q) {
    return {student_id{q.int64(0)}, q.text(1), q.text(2), q.text(3), q.text(4)};
}

}  // namespace

std::optional<sessions::student> student_repository::find(student_id id) {
    auto q = db_.prepare(select_one);
    q.with(id.value());
    if (!q.step())
        return std::nullopt;
    return read_student(q);
}

std::vector<student_id> student_repository::missing(const std::vector<student_id>& ids) {
    std::vector<student_id> out;
    for (const auto& id : ids) {
        auto q = db_.prepare(exists);
        if (!q.with(id.value()).step())
            out.push_back(id);
    }
    return out;
}

bool student_repository::upsert(const sessions::indexed_student& s) {
    const bool is_new = !find(s.record.id).has_value();
    const auto& r = s.record;
    db_.prepare(upsert_student)
        .with(
            r.id.value(), r.first_name, r.last_name, r.department, r.email,
            text::ascii_lower(r.email), s.email_local, s.name_key, to_epoch_ms(clock_.now())
        )
        .run();
    return is_new;
}

std::vector<sessions::student> student_repository::list() {
    std::vector<sessions::student> out;
    auto q = db_.prepare(select_all);
    while (q.step())
        out.push_back(read_student(q));
    return out;
}

std::vector<sessions::student> student_repository::find_where(
    const char* sql, std::string_view key, std::size_t limit
) {
    std::vector<sessions::student> out;
    auto q = db_.prepare(sql);
    q.with(key, limit);
    while (q.step())
        out.push_back(read_student(q));
    return out;
}

std::vector<sessions::student> student_repository::find_by_email(
    std::string_view email, std::size_t limit
) {
    return find_where(select_by_email, text::ascii_lower(email), limit);
}

std::vector<sessions::student> student_repository::find_by_email_local(
    std::string_view local, std::size_t limit
) {
    return find_where(select_by_email_local, local, limit);
}

std::vector<sessions::student> student_repository::find_by_name_key(
    std::string_view key, std::size_t limit
) {
    return find_where(select_by_name, key, limit);
}

std::vector<sessions::student> student_repository::find_many(const std::vector<student_id>& ids) {
    std::vector<std::int64_t> values;
    values.reserve(ids.size());
    for (const auto& id : ids)
        values.push_back(id.value());
    std::vector<sessions::student> out;
    auto q = db_.prepare(select_many);
    q.with(array_literal(values));
    while (q.step())
        out.push_back(read_student(q));
    return out;
}

std::vector<sessions::student> student_repository::find_by_emails(
    const std::vector<std::string>& emails
) {
    std::vector<std::string> keys;
    keys.reserve(emails.size());
    for (const auto& e : emails)
        keys.push_back(text::ascii_lower(e));
    std::vector<sessions::student> out;
    auto q = db_.prepare(select_by_emails);
    q.with(array_literal(keys));
    while (q.step())
        out.push_back(read_student(q));
    return out;
}

}  // namespace headcount::store::postgres
