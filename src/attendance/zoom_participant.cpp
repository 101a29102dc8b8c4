#include "attendance/zoom_participant.hpp"

#include "common/text.hpp"

namespace headcount::attendance {

std::string_view to_string(link_rule r) {
    switch (r) {
        case link_rule::email:
            return "email";
        case link_rule::customer_key:
            return "customer-key";
        case link_rule::name:
            return "name";
    }
    return "email";
}

std::optional<link_rule> parse_link_rule(std::string_view s) {
    if (s == "email")
        return link_rule::email;
    if (s == "customer-key")
        return link_rule::customer_key;
    if (s == "name")
        return link_rule::name;
    return std::nullopt;
}

std::optional<identity> identify(const zoom_person& p) {
    identity who;
    who.zoom_user_id = p.account_id;
    who.email = p.email;
    who.customer_key = p.customer_key;
    who.name = p.user_name;
    who.name_key = p.user_name ? text::normalize_name(*p.user_name) : std::string();
    const auto pick = [&who](std::string_view kind, const std::string& value) {
        who.participant_id = value;
        who.key = std::string(kind) + ":" + value;
    };
    if (p.account_id) {
        pick("id", *p.account_id);
    } else if (p.registrant_id) {
        pick("registrant", *p.registrant_id);
    } else if (p.email) {
        pick("email", text::ascii_lower(*p.email));
    } else if (p.customer_key) {
        pick("customer", *p.customer_key);
    } else if (p.participant_uuid) {
        pick("uuid", *p.participant_uuid);
    } else if (!who.name_key.empty()) {
        pick("name", who.name_key);
    } else {
        return std::nullopt;
    }
    return who;
}

}  // namespace headcount::attendance
