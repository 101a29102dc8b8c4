#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace headcount {

/// A value of type T that only compares with ids of the same Tag, so ids cannot be swapped.
template <class Tag, class T>
class strong_id {
public:
    using value_type = T;

    strong_id() = default;
    explicit strong_id(T value) : value_(std::move(value)) {}

    const T& value() const { return value_; }

    friend auto operator<=>(const strong_id&, const strong_id&) = default;

private:
    T value_{};
};

/// Users are numbered by storage; the API shows the number as a string.
using user_id = strong_id<struct user_id_tag, std::int64_t>;
/// A student's number from the institution's records (an integer in the API).
using student_id = strong_id<struct student_id_tag, std::int64_t>;
/// 1-64 characters of [0-9A-Za-z_-]; Zoom's are 9-11 digits.
using meeting_id = strong_id<struct meeting_id_tag, std::string>;
/// One occurrence of a meeting (Zoom's meeting instance), numbered by storage; the API shows
/// the number as a string. 0 names no occurrence.
using occurrence_id = strong_id<struct occurrence_id_tag, std::int64_t>;
/// `<userId>_<meetingId>_<joinTimeEpochMs>`.
using session_id = strong_id<struct session_id_tag, std::string>;

/// Whether `text` can be a meeting id: 1-64 characters of [0-9A-Za-z_-].
inline bool is_valid_meeting_id(std::string_view text) {
    if (text.empty() || text.size() > 64)
        return false;
    for (const char c : text) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                        (c >= 'a' && c <= 'z') || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace headcount

template <class Tag, class T>
struct std::hash<headcount::strong_id<Tag, T>> {
    std::size_t operator()(const headcount::strong_id<Tag, T>& id) const noexcept {
        return std::hash<T>{}(id.value());
    }
};
