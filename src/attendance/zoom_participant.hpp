#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/ids.hpp"

namespace headcount::attendance {

/// Which rule linked a Zoom participant with a user session (CONTRACT "Linking").
enum class link_rule { email, customer_key, name };

std::string_view to_string(link_rule r);
std::optional<link_rule> parse_link_rule(std::string_view s);

/// What Zoom says about a participant in one delivery (empty strings already absent).
struct zoom_person {
    std::optional<std::string> account_id;  ///< participant_user_id, else id: their Zoom account
    std::optional<std::string> registrant_id;
    std::optional<std::string> email;
    std::optional<std::string> customer_key;
    std::optional<std::string> participant_uuid;
    std::optional<std::string> user_name;
};

/// Who a participant is across rejoins (Zoom's per-join ids change): the first present of
/// account id, registrant id, email (lower-cased), customer key, participant uuid,
/// normalised name. `key` is kind and value (unique per meeting); `participant_id` the value.
struct identity {
    std::string key;
    std::string participant_id;
    std::optional<std::string> zoom_user_id;
    std::optional<std::string> email;
    std::optional<std::string> customer_key;
    std::optional<std::string> name;
    std::string name_key;
};

/// nullopt when the delivery names nobody.
std::optional<identity> identify(const zoom_person& p);

/// A participant as stored: one person in one occurrence of a meeting.
struct zoom_participant {
    std::int64_t row = 0;  ///< storage's id
    meeting_id meeting;
    occurrence_id occurrence;
    identity who;
    bool active = false;
    std::optional<user_id> user;  ///< linked user session's owner
    std::optional<session_id> session;
    std::optional<link_rule> linked_by;
};

/// One join or leave time Zoom reported.
struct mark {
    timestamp at;
    bool join = true;

    friend bool operator==(const mark&, const mark&) = default;
};

}  // namespace headcount::attendance
