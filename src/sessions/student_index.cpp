#include "sessions/student_index.hpp"

#include "common/text.hpp"

namespace headcount::sessions {

void student_index::add(const student& s) {
    const auto [it, added] = by_id_.try_emplace(s.id, s);
    if (!added)
        return;
    const auto indexed = index_student(s);
    by_email_[text::ascii_lower(s.email)].push_back(s.id);
    by_local_[indexed.email_local].push_back(s.id);
    by_name_[indexed.name_key].push_back(s.id);
}

void student_index::add_placeholder(student_id id) {
    by_id_.try_emplace(id, student{id, {}, {}, {}, {}});
}

const student* student_index::get(student_id id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &it->second;
}

const student* student_index::only_with_email(std::string_view email) const {
    const auto it = by_email_.find(text::ascii_lower(email));
    if (it == by_email_.end() || it->second.size() != 1)
        return nullptr;
    return get(it->second.front());
}

std::optional<student> student_index::find(student_id id) const {
    const auto* s = get(id);
    if (s == nullptr)
        return std::nullopt;
    return *s;
}

std::vector<student> student_index::take(
    const keyed& from, const std::string& key, std::size_t limit
) const {
    std::vector<student> out;
    if (key.empty())
        return out;
    const auto it = from.find(key);
    if (it == from.end())
        return out;
    for (const auto& id : it->second) {
        if (out.size() == limit)
            break;
        out.push_back(by_id_.at(id));
    }
    return out;
}

std::vector<student> student_index::find_by_email(std::string_view email, std::size_t limit) const {
    return take(by_email_, text::ascii_lower(email), limit);
}

std::vector<student> student_index::find_by_email_local(std::string_view local, std::size_t limit)
    const {
    return take(by_local_, std::string(local), limit);
}

std::vector<student> student_index::find_by_name_key(std::string_view key, std::size_t limit)
    const {
    return take(by_name_, std::string(key), limit);
}

}  // namespace headcount::sessions
