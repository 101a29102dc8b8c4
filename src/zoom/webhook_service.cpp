#include "zoom/webhook_service.hpp"

#include "common/logging.hpp"
#include "zoom/webhook_signature.hpp"

namespace headcount::zoom {
namespace {

boost::json::object applied(const webhook_event& e, const meeting_id& m) {
    return {{"success", true}, {"event", e.event}, {"meetingId", m.value()}};
}

boost::json::object duplicate(const webhook_event& e, const meeting_id& m) {
    auto o = applied(e, m);
    o["duplicate"] = true;
    return o;
}

outcome<meeting_id> meeting_of(const webhook_event& e) {
    if (!e.meeting || !is_valid_meeting_id(*e.meeting)) {
        return api_error::validation(
            "payload.object.id", "must be a meeting id of 1-64 characters of [0-9A-Za-z_-]"
        );
    }
    return meeting_id{*e.meeting};
}

/// The occurrence a delivery is about, as Zoom describes it in `payload.object`.
attendance::reported_occurrence reported(const webhook_event& e, const meeting_id& meeting) {
    return {meeting, e.uuid, e.topic, e.host_id, e.start_time};
}

const log::logger& zoom_log() {
    static const log::logger instance("zoom");
    return instance;
}

}  // namespace

outcome<boost::json::object> webhook_service::started(
    attendance::attendance_store& store, const webhook_event& e, const meeting_id& meeting
) const {
    const auto now = clock_.now();
    const auto start = e.start_time.value_or(e.event_time.value_or(now));
    auto o = occurrences_.locate(store, reported(e, meeting), start);
    if (!store.participants.record_delivery(e.event, o.id, "", start, now))
        return duplicate(e, meeting);
    occurrences_.start(store, o, start);
    return applied(e, meeting);
}

outcome<boost::json::object> webhook_service::ended(
    attendance::attendance_store& store,
    event_sink& events,
    const webhook_event& e,
    const meeting_id& meeting
) const {
    const auto now = clock_.now();
    const auto end = e.end_time.value_or(e.event_time.value_or(now));
    auto o = occurrences_.locate(store, reported(e, meeting), end);
    if (!store.participants.record_delivery(e.event, o.id, "", end, now))
        return duplicate(e, meeting);
    occurrences_.end(store, events, o, end, e.start_time);
    return applied(e, meeting);
}

outcome<boost::json::object> webhook_service::participant(
    attendance::attendance_store& store,
    event_sink& events,
    const webhook_event& e,
    const meeting_id& meeting,
    bool joined
) const {
    if (!e.has_participant)
        return api_error::validation("payload.object.participant", "is required");
    const auto who = attendance::identify(e.person);
    if (!who)
        return api_error::validation("payload.object.participant", "names no participant");
    const auto now = clock_.now();
    const auto at = (joined ? e.join_time : e.leave_time).value_or(e.event_time.value_or(now));
    auto o = occurrences_.locate(store, reported(e, meeting), at);
    if (!store.participants.record_delivery(e.event, o.id, who->key, at, now))
        return duplicate(e, meeting);
    occurrences_.record_presence(store, events, o, *who, at, joined, e.start_time);
    zoom_log().debug(
        joined ? "zoom participant joined" : "zoom participant left",
        {{"meetingId", meeting.value()},
         {"occurrenceId", std::to_string(o.id.value())},
         {"participant", who->key}}
    );
    return applied(e, meeting);
}

outcome<boost::json::object> webhook_service::apply(
    attendance::attendance_store& store, event_sink& events, const webhook_event& e
) const {
    if (e.event == "endpoint.url_validation") {
        if (!e.plain_token || e.plain_token->empty()) {
            return api_error::validation("payload.plainToken", "is required");
        }
        return boost::json::object{
            {"plainToken", *e.plain_token},
            {"encryptedToken", url_validation_token(secret_, *e.plain_token)}};
    }
    const bool joined = e.event == "meeting.participant_joined";
    const bool left = e.event == "meeting.participant_left";
    if (e.event != "meeting.started" && e.event != "meeting.ended" && !joined && !left) {
        zoom_log().debug("zoom event ignored", {{"event", e.event}});
        return boost::json::object{{"success", true}, {"event", e.event}, {"ignored", true}};
    }
    auto meeting = meeting_of(e);
    if (!meeting)
        return meeting.error();
    if (e.event == "meeting.started")
        return started(store, e, *meeting);
    if (e.event == "meeting.ended")
        return ended(store, events, e, *meeting);
    return participant(store, events, e, *meeting, joined);
}

}  // namespace headcount::zoom
