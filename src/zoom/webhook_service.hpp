#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "attendance/attendance_service.hpp"
#include "attendance/repositories.hpp"
#include "common/clock.hpp"
#include "common/domain_event.hpp"
#include "common/errors.hpp"
#include "zoom/webhook_event.hpp"

namespace headcount::zoom {

/// Applies verified Zoom deliveries to attendance: `endpoint.url_validation`,
/// `meeting.started`, `meeting.ended`, `meeting.participant_joined`,
/// `meeting.participant_left`; other events are acknowledged and ignored. Zoom retries and
/// reorders deliveries: a redelivery (same event, meeting, participant and time) changes
/// nothing, and intervals follow Zoom's own times, not arrival. Runs inside the caller's
/// write transaction, so the answer Zoom gets means the event is stored and applied.
class webhook_service {
public:
    webhook_service(
        const clock& clk, const attendance::attendance_service& attendance, std::string secret
    )
        : clock_(clk), attendance_(attendance), secret_(std::move(secret)) {}

    /// The response body for the delivery.
    outcome<boost::json::object> apply(
        attendance::attendance_store& store, event_sink& events, const webhook_event& e
    ) const;

private:
    outcome<meeting_id> meeting_of(const webhook_event& e) const;
    outcome<boost::json::object> started(
        attendance::attendance_store& store, const webhook_event& e
    ) const;
    outcome<boost::json::object> ended(attendance::attendance_store& store, const webhook_event& e)
        const;
    outcome<boost::json::object> participant(
        attendance::attendance_store& store, event_sink& events, const webhook_event& e, bool joined
    ) const;
    attendance::meeting load_meeting(
        attendance::attendance_store& store, const meeting_id& id, const webhook_event& e
    ) const;

    const clock& clock_;
    const attendance::attendance_service& attendance_;
    std::string secret_;
};

}  // namespace headcount::zoom
