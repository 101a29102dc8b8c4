#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sessions/student.hpp"

namespace headcount::sessions {

/// Students held in memory and found the way storage finds them (by id, email, the email's
/// local part, normalised full name), so that matching can run over a snapshot when a report
/// is built. Not thread-safe to change; const use is.
class student_index {
public:
    /// Adds a student record; a second record with the same id is ignored.
    void add(const student& s);
    /// A rostered id without a record: known by its id only, found by nothing else.
    void add_placeholder(student_id id);

    const student* get(student_id id) const;
    /// The one student with this email (ASCII case-insensitive); null for none or several.
    const student* only_with_email(std::string_view email) const;
    bool contains(student_id id) const { return get(id) != nullptr; }

    // The lookups of student_matcher, with storage's meaning: ASCII-case-insensitive email,
    // lower-cased local part, normalised name; at most `limit` students each.
    std::optional<student> find(student_id id) const;
    std::vector<student> find_by_email(std::string_view email, std::size_t limit) const;
    std::vector<student> find_by_email_local(std::string_view local, std::size_t limit) const;
    std::vector<student> find_by_name_key(std::string_view key, std::size_t limit) const;

private:
    using keyed = std::unordered_map<std::string, std::vector<student_id>>;
    std::vector<student> take(const keyed& from, const std::string& key, std::size_t limit) const;

    std::unordered_map<student_id, student> by_id_;
    keyed by_email_;
    keyed by_local_;
    keyed by_name_;
};

}  // namespace headcount::sessions
