#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace headcount::json {

/// Writes JSON straight into a string, with the same formatting as json::write, for large
/// answers where building a value tree first would cost more than the answer itself.
/// Commas are placed automatically; the caller keeps begin/end balanced.
class writer {
public:
    explicit writer(std::string& out) : out_(out) {}

    writer& begin_object();
    writer& end_object();
    writer& begin_array();
    writer& end_array();
    /// A member name. Names are our own ASCII constants, so they are written without escaping.
    writer& key(std::string_view k);

    writer& value(std::string_view s);
    writer& value(const char* s) { return value(std::string_view(s)); }
    writer& value(const std::string& s) { return value(std::string_view(s)); }
    writer& value(std::int64_t n);
    writer& value(int n) { return value(static_cast<std::int64_t>(n)); }
    writer& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
    writer& value(double d);
    writer& value(bool b);
    writer& value(std::nullptr_t);
    /// An ISO-8601 UTC time string.
    writer& value(timestamp t);
    template <class T>
    writer& value(const std::optional<T>& v) {
        return v ? value(*v) : value(nullptr);
    }
    /// Already-serialised JSON.
    writer& raw(std::string_view json);

    template <class T>
    writer& member(std::string_view k, const T& v) {
        return key(k).value(v);
    }

private:
    void separate();

    std::string& out_;
    /// Bit d set: nothing written yet in the container open at depth d (deeper than 64 is
    /// not something our answers need).
    std::uint64_t empty_ = 0;
    int depth_ = 0;
    bool after_key_ = false;
};

}  // namespace headcount::json
