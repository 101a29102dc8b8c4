#pragma once

#include "common/clock.hpp"
#include "sessions/repositories.hpp"
#include "store/postgres/connection.hpp"

namespace headcount::store::postgres {

/// Student records in the `students` table.
class student_repository final : public sessions::student_repository {
public:
    student_repository(connection& db, const clock& clk) : db_(db), clock_(clk) {}

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

private:
    std::vector<sessions::student> find_where(
        const char* sql, std::string_view key, std::size_t limit
    );

    connection& db_;
    const clock& clock_;
};

}  // namespace headcount::store::postgres
