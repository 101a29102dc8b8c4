#include "common/json_writer.hpp"

#include <charconv>

#include "common/json.hpp"
#include "common/time_format.hpp"

namespace headcount::json {

void writer::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (depth_ == 0)
        return;
    const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    if ((empty_ & bit) == 0)
        out_.push_back(',');
    empty_ &= ~bit;
}

writer& writer::begin_object() {
    separate();
    out_.push_back('{');
    empty_ |= std::uint64_t{1} << depth_++;
    return *this;
}

writer& writer::end_object() {
    out_.push_back('}');
    --depth_;
    return *this;
}

writer& writer::begin_array() {
    separate();
    out_.push_back('[');
    empty_ |= std::uint64_t{1} << depth_++;
    return *this;
}

writer& writer::end_array() {
    out_.push_back(']');
    --depth_;
    return *this;
}

writer& writer::key(std::string_view k) {
    separate();
    out_.push_back('"');
    out_.append(k);
    out_.append("\":", 2);
    after_key_ = true;
    return *this;
}

writer& writer::value(std::string_view s) {
    separate();
    write_string(out_, s);
    return *this;
}

writer& writer::value(std::int64_t n) {
    separate();
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, end);
    return *this;
}

writer& writer::value(double d) {
    separate();
    write_number(out_, d);
    return *this;
}

writer& writer::value(bool b) {
    separate();
    out_.append(b ? "true" : "false");
    return *this;
}

writer& writer::value(std::nullptr_t) {
    separate();
    out_.append("null");
    return *this;
}

writer& writer::value(timestamp t) {
    separate();
    out_.push_back('"');
    append_iso(out_, t);
    out_.push_back('"');
    return *this;
}

writer& writer::raw(std::string_view json) {
    separate();
    out_.append(json);
    return *this;
}

}  // namespace headcount::json
