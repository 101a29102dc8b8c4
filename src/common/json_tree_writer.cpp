#include "common/json_tree_writer.hpp"

#include <utility>

#include "common/time_format.hpp"

namespace headcount::json {

boost::json::value& tree_writer::place(boost::json::value v) {
    if (open_.empty()) {
        root_ = std::move(v);
        return root_;
    }
    auto& container = *open_.back();
    if (container.is_object())
        return container.as_object().insert_or_assign(key_, std::move(v)).first->value();
    return container.as_array().emplace_back(std::move(v));
}

tree_writer& tree_writer::begin_object() {
    open_.push_back(&place(boost::json::object()));
    return *this;
}

tree_writer& tree_writer::begin_array() {
    open_.push_back(&place(boost::json::array()));
    return *this;
}

tree_writer& tree_writer::close() {
    open_.pop_back();
    return *this;
}

tree_writer& tree_writer::key(std::string_view k) {
    key_.assign(k);
    return *this;
}

tree_writer& tree_writer::value(timestamp t) {
    return put(boost::json::string(format_iso(t)));
}

boost::json::value tree_writer::release() {
    open_.clear();
    return std::exchange(root_, nullptr);
}

}  // namespace headcount::json
