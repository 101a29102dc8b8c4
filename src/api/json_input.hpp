#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/errors.hpp"
#include "common/ids.hpp"

namespace headcount::api {

/// Reads typed members of a JSON body and collects what is wrong with each, so a handler
/// answers one `validation_failed` naming every bad field. An absent body reads as `{}`.
class json_input {
public:
    explicit json_input(const boost::json::value& body);
    explicit json_input(const boost::json::object& body) : body_(&body) {}

    /// A string member; nullopt when absent or null (and, when required, that is an error).
    std::optional<std::string> string(
        std::string_view name, bool required, std::size_t max_length = 100000
    );
    /// A meeting id member (`validation_failed` unless 1-64 of [0-9A-Za-z_-]).
    std::optional<meeting_id> meeting(std::string_view name);
    /// A nested object member, read with the same rules: what is wrong inside it is reported
    /// by this input as `name.field`. Absent or null reads as `{}`. The nested input refers to
    /// this one and must not outlive it.
    json_input nested(std::string_view name);
    /// The raw member, or nullptr.
    const boost::json::value* member(std::string_view name) const;

    void fail(std::string field, std::string why);
    bool ok() const { return root().fields_.empty(); }
    /// Throws `validation_failed` (the request's error reply) when anything was wrong.
    void check() const;

private:
    json_input(const boost::json::object& body, json_input& parent, std::string prefix)
        : body_(&body), parent_(&parent), prefix_(std::move(prefix)) {}
    const json_input& root() const { return parent_ != nullptr ? parent_->root() : *this; }

    const boost::json::object* body_ = nullptr;
    json_input* parent_ = nullptr;  ///< of a nested input, which reports through it
    std::string prefix_;            ///< `name.` of a nested input
    std::map<std::string, std::string> fields_;
};

/// The `meetingId` path parameter, or throws `validation_failed`.
meeting_id meeting_param(const std::string& raw);

}  // namespace headcount::api
