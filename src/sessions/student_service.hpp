#pragma once

#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/errors.hpp"
#include "sessions/repositories.hpp"

namespace headcount::sessions {

/// One rejected line of a CSV import.
struct import_error {
    std::size_t line = 0;
    std::string message;
};

struct import_report {
    std::size_t imported = 0;
    std::size_t updated = 0;
    std::vector<import_error> errors;
};

/// Student records: validated create/update and CSV import.
class student_service {
public:
    /// Checks a student as the API receives it (`studentId` a non-negative integer,
    /// `firstName`/`lastName` non-empty, `department` optional, a valid `email`).
    static outcome<student> validate(const boost::json::value& body);

    /// Creates or replaces; true when created.
    static bool save(student_repository& repo, const student& s);

    /// Imports `studentId,firstName,lastName,department,email` CSV (columns in any order,
    /// header names case-insensitive, `department` optional). Good rows land even when others
    /// fail; each failure names its line (the header is line 1). A missing header column is
    /// `validation_failed` and nothing is imported.
    static outcome<import_report> import_csv(student_repository& repo, std::string_view text);
};

}  // namespace headcount::sessions
