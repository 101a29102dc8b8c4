#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "common/clock.hpp"

namespace headcount::json {

/// The calls of json::writer, building a value instead of text: one piece of code can
/// write a document to an answer (writer) or hand it on as a value (tree_writer), such as
/// a participant in an event payload, without printing and parsing it again.
class tree_writer {
public:
    tree_writer& begin_object();
    tree_writer& end_object() { return close(); }
    tree_writer& begin_array();
    tree_writer& end_array() { return close(); }
    tree_writer& key(std::string_view k);

    tree_writer& value(std::string_view s) { return put(boost::json::string(s)); }
    tree_writer& value(const char* s) { return value(std::string_view(s)); }
    tree_writer& value(const std::string& s) { return value(std::string_view(s)); }
    tree_writer& value(std::int64_t n) { return put(n); }
    tree_writer& value(int n) { return value(static_cast<std::int64_t>(n)); }
    tree_writer& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
    tree_writer& value(double d) { return put(d); }
    tree_writer& value(bool b) { return put(b); }
    tree_writer& value(std::nullptr_t) { return put(nullptr); }
    /// An ISO-8601 UTC time string.
    tree_writer& value(timestamp t);
    template <class T>
    tree_writer& value(const std::optional<T>& v) {
        return v ? value(*v) : value(nullptr);
    }

    template <class T>
    tree_writer& member(std::string_view k, const T& v) {
        return key(k).value(v);
    }

    /// The document; the writer is empty again.
    boost::json::value release();

private:
    /// Stores `v` at the current place (the root, the innermost array, or the innermost
    /// object under the last key) and returns it where it now lives.
    boost::json::value& place(boost::json::value v);
    tree_writer& put(boost::json::value v) {
        place(std::move(v));
        return *this;
    }
    tree_writer& close();

    boost::json::value root_;
    /// The containers being written, innermost last. Only the innermost one grows, so the
    /// pointers to the outer ones stay valid.
    std::vector<boost::json::value*> open_;
    std::string key_;
};

}  // namespace headcount::json
