#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/text.hpp"
#include "sessions/repositories.hpp"
#include "store/sql/dialect.hpp"

namespace headcount::store::sql {

/// Student records in the `students` table.
template <dialect D>
class student_repository final : public sessions::student_repository {
public:
    student_repository(typename D::connection& db, const clock& clk) : db_(db), clock_(clk) {}

    std::optional<sessions::student> find(student_id id) override;
    std::vector<student_id> missing(const std::vector<student_id>& ids) override;
    bool upsert(const sessions::indexed_student& s) override;
    std::vector<sessions::student> list() override;
    std::vector<sessions::student> find_by_email(std::string_view email, std::size_t limit)
        override;
    std::vector<sessions::student> find_by_email_local(std::string_view local, std::size_t limit)
        override;
    std::vector<sessions::student> find_by_name_key(std::string_view key, std::size_t limit)
        override;
    std::vector<sessions::student> find_many(const std::vector<student_id>& ids) override;
    std::vector<sessions::student> find_by_emails(const std::vector<std::string>& emails) override;
    std::vector<sessions::student> find_by_email_locals(const std::vector<std::string>& locals
    ) override;
    std::vector<sessions::student> find_by_name_keys(const std::vector<std::string>& keys) override;

private:
    std::vector<sessions::student> find_where(
        const char* sql, std::string_view key, std::size_t limit
    );
    std::vector<sessions::student> find_in(const char* sql, const std::vector<std::string>& keys);

    typename D::connection& db_;
    const clock& clock_;
};

namespace detail {

template <class Query>
sessions::student read_student(const Query& q) {
    return {student_id{q.int64(0)}, q.text(1), q.text(2), q.text(3), q.text(4)};
}

}  // namespace detail

template <dialect D>
std::optional<sessions::student> student_repository<D>::find(student_id id) {
    auto q = db_.prepare(D::students.select_one);
    q.with(id.value());
    if (!q.step())
        return std::nullopt;
    return detail::read_student(q);
}

template <dialect D>
std::vector<student_id> student_repository<D>::missing(const std::vector<student_id>& ids) {
    std::vector<student_id> out;
    for (const auto& id : ids) {
        auto q = db_.prepare(D::students.exists);
        if (!q.with(id.value()).step())
            out.push_back(id);
    }
    return out;
}

template <dialect D>
bool student_repository<D>::upsert(const sessions::indexed_student& s) {
    const bool is_new = !find(s.record.id).has_value();
    const auto& r = s.record;
    db_.prepare(D::students.upsert_student)
        .with(
            r.id.value(), r.first_name, r.last_name, r.department, r.email,
            text::ascii_lower(r.email), s.email_local, s.name_key, to_epoch_ms(clock_.now())
        )
        .run();
    return is_new;
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::list() {
    std::vector<sessions::student> out;
    auto q = db_.prepare(D::students.select_all);
    while (q.step())
        out.push_back(detail::read_student(q));
    return out;
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_where(
    const char* sql, std::string_view key, std::size_t limit
) {
    std::vector<sessions::student> out;
    auto q = db_.prepare(sql);
    q.with(key, limit);
    while (q.step())
        out.push_back(detail::read_student(q));
    return out;
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_by_email(
    std::string_view email, std::size_t limit
) {
    return find_where(D::students.select_by_email, text::ascii_lower(email), limit);
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_by_email_local(
    std::string_view local, std::size_t limit
) {
    return find_where(D::students.select_by_email_local, local, limit);
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_by_name_key(
    std::string_view key, std::size_t limit
) {
    return find_where(D::students.select_by_name, key, limit);
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_many(const std::vector<student_id>& ids
) {
    std::vector<std::int64_t> values;
    values.reserve(ids.size());
    for (const auto& id : ids)
        values.push_back(id.value());
    std::vector<sessions::student> out;
    auto q = db_.prepare(D::students.select_many);
    q.with(D::list(values));
    while (q.step())
        out.push_back(detail::read_student(q));
    return out;
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_by_emails(
    const std::vector<std::string>& emails
) {
    std::vector<std::string> keys;
    keys.reserve(emails.size());
    for (const auto& e : emails)
        keys.push_back(text::ascii_lower(e));
    return find_in(D::students.select_by_emails, keys);
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_by_email_locals(
    const std::vector<std::string>& locals
) {
    return find_in(D::students.select_by_email_locals, locals);
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_by_name_keys(
    const std::vector<std::string>& keys
) {
    return find_in(D::students.select_by_names, keys);
}

template <dialect D>
std::vector<sessions::student> student_repository<D>::find_in(
    const char* sql, const std::vector<std::string>& keys
) {
    std::vector<sessions::student> out;
    auto q = db_.prepare(sql);
    q.with(D::list(keys));
    while (q.step())
        out.push_back(detail::read_student(q));
    return out;
}

}  // namespace headcount::store::sql
