#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "attendance/occurrence_service.hpp"
#include "attendance/repositories.hpp"
#include "common/clock.hpp"
#include "common/domain_event.hpp"
#include "common/errors.hpp"
#include "zoom/webhook_event.hpp"

namespace headcount::zoom {

/// Applies verified Zoom deliveries to attendance: `endpoint.url_validation`,
/// `meeting.started`, `meeting.ended`, `meeting.participant_joined`,
/// `meeting.participant_left`; other events are acknowledged and ignored. Each delivery is
/// translated into the attendance operations of its occurrence (occurrence_service); Zoom
/// retries and reorders deliveries, so a redelivery (same event, occurrence, participant and
/// time) changes nothing. Runs inside the caller's write transaction, so the answer Zoom gets
/// means the event is stored and applied.
class webhook_service {
public:
    webhook_service(
        const clock& clk, const attendance::occurrence_service& occurrences, std::string secret
    )
        : clock_(clk), occurrences_(occurrences), secret_(std::move(secret)) {}

    /// The response body for the delivery.
    outcome<boost::json::object> apply(
        attendance::attendance_store& store, event_sink& events, const webhook_event& e
    ) const;

private:
    outcome<boost::json::object> started(
        attendance::attendance_store& store, const webhook_event& e, const meeting_id& meeting
    ) const;
    outcome<boost::json::object> ended(
        attendance::attendance_store& store,
        event_sink& events,
        const webhook_event& e,
        const meeting_id& meeting
    ) const;
    outcome<boost::json::object> participant(
        attendance::attendance_store& store,
        event_sink& events,
        const webhook_event& e,
        const meeting_id& meeting,
        bool joined
    ) const;

    const clock& clock_;
    const attendance::occurrence_service& occurrences_;
    std::string secret_;
};

}  // namespace headcount::zoom
