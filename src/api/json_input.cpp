#include "api/json_input.hpp"

namespace headcount::api {
namespace {

const boost::json::object empty_object;
constexpr const char* meeting_id_rule = "must be 1-64 characters of [0-9A-Za-z_-]";

}  // namespace

json_input::json_input(const boost::json::value& body) {
    if (body.is_null()) {
        body_ = &empty_object;
    } else if (body.is_object()) {
        body_ = &body.get_object();
    } else {
        body_ = &empty_object;
        fail("body", "must be a JSON object");
    }
}

const boost::json::value* json_input::member(std::string_view name) const {
    return body_->if_contains(name);
}

std::optional<std::string> json_input::string(
    std::string_view name, bool required, std::size_t max_length
) {
    const auto* v = member(name);
    if (v == nullptr || v->is_null()) {
        if (required)
            fail(std::string(name), "is required");
        return std::nullopt;
    }
    if (!v->is_string()) {
        fail(std::string(name), "must be a string");
        return std::nullopt;
    }
    if (v->get_string().size() > max_length) {
        fail(std::string(name), "must be at most " + std::to_string(max_length) + " characters");
        return std::nullopt;
    }
    if (required && v->get_string().empty()) {
        fail(std::string(name), "is required");
        return std::nullopt;
    }
    return std::string(v->get_string());
}

std::optional<meeting_id> json_input::meeting(std::string_view name) {
    const auto* v = member(name);
    if (v == nullptr || v->is_null()) {
        fail(std::string(name), "is required");
        return std::nullopt;
    }
    if (!v->is_string() || !is_valid_meeting_id(v->get_string())) {
        fail(std::string(name), meeting_id_rule);
        return std::nullopt;
    }
    return meeting_id{std::string(v->get_string())};
}

json_input json_input::nested(std::string_view name) {
    const auto* v = member(name);
    const bool is_object = v != nullptr && v->is_object();
    if (v != nullptr && !v->is_null() && !is_object)
        fail(std::string(name), "must be an object");
    return {is_object ? v->get_object() : empty_object, *this, std::string(name) + "."};
}

void json_input::fail(std::string field, std::string why) {
    if (parent_ != nullptr) {
        parent_->fail(prefix_ + field, std::move(why));
    } else {
        fields_.emplace(std::move(field), std::move(why));
    }
}

void json_input::check() const {
    if (!ok())
        throw api_exception(api_error::validation(root().fields_));
}

meeting_id meeting_param(const std::string& raw) {
    if (!is_valid_meeting_id(raw))
        throw api_exception(api_error::validation("meetingId", meeting_id_rule));
    return meeting_id{raw};
}

}  // namespace headcount::api
