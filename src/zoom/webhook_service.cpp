#include "zoom/webhook_service.hpp"

#include "attendance/intervals.hpp"
#include "attendance/linker.hpp"
#include "attendance/report_json.hpp"
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

bool still_open(const std::vector<attendance::mark>& marks, std::optional<timestamp> meeting_end) {
    const auto intervals = attendance::pair_marks(marks, meeting_end);
    return !intervals.empty() && !intervals.back().leave;
}

/// Stores the schedule when the delivery changed it.
void save_if_changed(
    attendance::attendance_store& store,
    const attendance::meeting& before,
    const attendance::meeting& after
) {
    if (before.start_time != after.start_time || before.end_time != after.end_time ||
        before.status != after.status) {
        store.meetings.save_schedule(after);
    }
}

const log::logger& zoom_log() {
    static const log::logger instance("zoom");
    return instance;
}

}  // namespace

outcome<meeting_id> webhook_service::meeting_of(const webhook_event& e) const {
    if (!e.meeting || !is_valid_meeting_id(*e.meeting)) {
        return api_error::validation(
            "payload.object.id", "must be a meeting id of 1-64 characters of [0-9A-Za-z_-]"
        );
    }
    return meeting_id{*e.meeting};
}

attendance::meeting webhook_service::load_meeting(
    attendance::attendance_store& store, const meeting_id& id, const webhook_event& e
) const {
    auto found = store.meetings.find(id);
    const auto news = [](const std::optional<std::string>& given,
                         const std::optional<std::string>& stored) {
        return given && given != stored;
    };
    if (!found || news(e.uuid, found->uuid) || news(e.topic, found->topic) ||
        news(e.host_id, found->host_id)) {
        store.meetings.record_details(id, e.uuid, e.topic, e.host_id, clock_.now());
        found = store.meetings.find(id);
    }
    return *found;
}

outcome<boost::json::object> webhook_service::started(
    attendance::attendance_store& store, const webhook_event& e
) const {
    auto id = meeting_of(e);
    if (!id)
        return id.error();
    const auto now = clock_.now();
    const auto start = e.start_time.value_or(e.event_time.value_or(now));
    const auto before = load_meeting(store, *id, e);
    if (!store.participants.record_delivery(e.event, *id, "", start, now))
        return duplicate(e, *id);
    auto m = before;
    attendance::meeting_started(m, start);
    save_if_changed(store, before, m);
    return applied(e, *id);
}

outcome<boost::json::object> webhook_service::ended(
    attendance::attendance_store& store, const webhook_event& e
) const {
    auto id = meeting_of(e);
    if (!id)
        return id.error();
    const auto now = clock_.now();
    const auto end = e.end_time.value_or(e.event_time.value_or(now));
    const auto before = load_meeting(store, *id, e);
    if (!store.participants.record_delivery(e.event, *id, "", end, now))
        return duplicate(e, *id);
    auto m = before;
    attendance::meeting_ended(m, end, e.start_time);
    save_if_changed(store, before, m);
    // Whoever Zoom did not report leaving left when the meeting ended.
    for (const auto row : store.participants.active_rows(*id)) {
        if (!still_open(store.participants.marks(row), end))
            store.participants.set_active(row, false);
    }
    return applied(e, *id);
}

outcome<boost::json::object> webhook_service::participant(
    attendance::attendance_store& store, event_sink& events, const webhook_event& e, bool joined
) const {
    auto id = meeting_of(e);
    if (!id)
        return id.error();
    if (!e.has_participant)
        return api_error::validation("payload.object.participant", "is required");
    const auto who = attendance::identify(e.person);
    if (!who)
        return api_error::validation("payload.object.participant", "names no participant");
    const auto now = clock_.now();
    const auto at = (joined ? e.join_time : e.leave_time).value_or(e.event_time.value_or(now));

    const auto before = load_meeting(store, *id, e);
    if (!store.participants.record_delivery(e.event, *id, who->key, at, now))
        return duplicate(e, *id);
    auto m = before;
    attendance::participant_reported(m, e.start_time);
    save_if_changed(store, before, m);

    auto p = store.participants.upsert(*id, *who);
    store.participants.add_mark(p.row, {at, joined});
    const auto marks = store.participants.marks(p.row);
    const bool active = still_open(marks, m.end_time);
    if (active != p.active)
        store.participants.set_active(p.row, active);
    p.active = active;

    events.publish(
        {joined ? "zoomParticipantJoined" : "zoomParticipantLeft",
         id->value(),
         {},
         [row = attendance_.describe(p, marks, m), meeting = *id] {
             return boost::json::object{
                 {"meetingId", meeting.value()},
                 {"participant", attendance::row_value(row, meeting)}};
         }}
    );
    if (joined)
        attendance::linker::participant_joined(store, events, p);
    zoom_log().debug(
        joined ? "zoom participant joined" : "zoom participant left",
        {{"meetingId", id->value()}, {"participant", who->key}}
    );
    return applied(e, *id);
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
    if (e.event == "meeting.started")
        return started(store, e);
    if (e.event == "meeting.ended")
        return ended(store, e);
    if (e.event == "meeting.participant_joined")
        return participant(store, events, e, true);
    if (e.event == "meeting.participant_left")
        return participant(store, events, e, false);
    zoom_log().debug("zoom event ignored", {{"event", e.event}});
    return boost::json::object{{"success", true}, {"event", e.event}, {"ignored", true}};
}

}  // namespace headcount::zoom
