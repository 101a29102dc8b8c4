#pragma once

#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "attendance/zoom_participant.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"

namespace headcount::zoom {

/// The parts of a Zoom webhook delivery headcount uses, read from Zoom's JSON
/// (`{event, event_ts, payload: {object: {id, uuid, topic, host_id, start_time, end_time,
/// participant: {...}}}}`). Meeting ids arrive as numbers or strings; empty strings count as
/// absent; times are ISO strings or epoch numbers.
struct webhook_event {
    std::string event;
    std::optional<timestamp> event_time;
    std::optional<std::string> plain_token;  ///< endpoint.url_validation
    std::optional<std::string> meeting;      ///< payload.object.id as text
    std::optional<std::string> uuid;
    std::optional<std::string> topic;
    std::optional<std::string> host_id;
    std::optional<timestamp> start_time;
    std::optional<timestamp> end_time;
    bool has_participant = false;
    attendance::zoom_person person;
    std::optional<timestamp> join_time;
    std::optional<timestamp> leave_time;
};

/// `validation_failed` when the body is not an object with a string `event`.
outcome<webhook_event> parse_webhook(const boost::json::value& body);

}  // namespace headcount::zoom
