#include "zoom/webhook_event.hpp"

#include <cmath>

#include "common/json.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace headcount::zoom {
namespace {

/// A member as trimmed text (numbers written as JSON writes them); empty is absent.
std::optional<std::string> text_of(const boost::json::object* o, std::string_view key) {
    if (o == nullptr)
        return std::nullopt;
    const auto* v = o->if_contains(key);
    if (v == nullptr)
        return std::nullopt;
    std::string s;
    if (v->is_string()) {
        s = std::string(text::trim(v->get_string()));
    } else if (v->is_int64() || v->is_uint64() || v->is_double()) {
        json::write(s, *v);
    } else {
        return std::nullopt;
    }
    if (s.empty())
        return std::nullopt;
    return s;
}

/// ISO text, or epoch seconds/milliseconds.
std::optional<timestamp> time_of(const boost::json::object* o, std::string_view key) {
    if (o == nullptr)
        return std::nullopt;
    const auto* v = o->if_contains(key);
    if (v == nullptr)
        return std::nullopt;
    if (v->is_string())
        return parse_iso(text::trim(v->get_string()));
    if (v->is_number()) {
        const double d = v->to_number<double>();
        if (!std::isfinite(d) || d < 0)
            return std::nullopt;
        const double ms = d < 1e11 ? d * 1000 : d;
        // ECMAScript's time range (±100,000,000 days), which also keeps the cast defined.
        constexpr double max_time_ms = 8.64e15;
        if (ms > max_time_ms)
            return std::nullopt;
        return from_epoch_ms(static_cast<std::int64_t>(ms));
    }
    return std::nullopt;
}

const boost::json::object* object_of(const boost::json::object* o, std::string_view key) {
    if (o == nullptr)
        return nullptr;
    const auto* v = o->if_contains(key);
    return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

}  // namespace

outcome<webhook_event> parse_webhook(const boost::json::value& body) {
    if (!body.is_object())
        return api_error::validation("event", "is required");
    const auto& root = body.get_object();
    const auto* event = root.if_contains("event");
    if (event == nullptr || !event->is_string() || event->get_string().empty()) {
        return api_error::validation("event", "is required");
    }
    webhook_event e;
    e.event = std::string(event->get_string());
    e.event_time = time_of(&root, "event_ts");
    const auto* payload = object_of(&root, "payload");
    if (const auto* token = payload != nullptr ? payload->if_contains("plainToken") : nullptr;
        token != nullptr && token->is_string()) {
        e.plain_token = std::string(token->get_string());
    }
    const auto* object = object_of(payload, "object");
    e.meeting = text_of(object, "id");
    e.uuid = text_of(object, "uuid");
    e.topic = text_of(object, "topic");
    e.host_id = text_of(object, "host_id");
    e.start_time = time_of(object, "start_time");
    e.end_time = time_of(object, "end_time");
    if (const auto* p = object_of(object, "participant")) {
        e.has_participant = true;
        auto& who = e.person;
        who.account_id = text_of(p, "participant_user_id");
        if (!who.account_id)
            who.account_id = text_of(p, "id");
        who.registrant_id = text_of(p, "registrant_id");
        who.email = text_of(p, "email");
        who.customer_key = text_of(p, "customer_key");
        who.participant_uuid = text_of(p, "participant_uuid");
        who.user_name = text_of(p, "user_name");
        e.join_time = time_of(p, "join_time");
        e.leave_time = time_of(p, "leave_time");
    }
    return e;
}

}  // namespace headcount::zoom
