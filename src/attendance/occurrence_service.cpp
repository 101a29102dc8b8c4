#include "attendance/occurrence_service.hpp"

#include "attendance/intervals.hpp"
#include "attendance/linker.hpp"
#include "attendance/report_json.hpp"

namespace headcount::attendance {
namespace {

/// How long after the start Zoom may still be delivering an occurrence's first report: it
/// retries for about 85 minutes (5, 20 and 60 minutes apart). A session that joined later than
/// this while the occurrence was unknown was not waiting for it.
constexpr auto zoom_retry_horizon = std::chrono::minutes(90);

bool still_open(const std::vector<mark>& marks, std::optional<timestamp> end) {
    const auto intervals = pair_marks(marks, end);
    return !intervals.empty() && !intervals.back().leave;
}

/// Stores the occurrence when a report changed it.
void save_if_changed(attendance_store& store, const occurrence& before, const occurrence& after) {
    if (before.start_time != after.start_time || before.end_time != after.end_time ||
        before.status != after.status) {
        store.occurrences.save(after);
    }
}

}  // namespace

void occurrence_service::keep_details(attendance_store& store, const reported_occurrence& r) const {
    const auto found = store.meetings.find(r.meeting);
    const auto news = [](const std::optional<std::string>& given,
                         const std::optional<std::string>& stored) {
        return given && given != stored;
    };
    if (!found || news(r.topic, found->topic) || news(r.host_id, found->host_id))
        store.meetings.record_details(r.meeting, r.topic, r.host_id, clock_.now());
}

occurrence occurrence_service::locate(
    attendance_store& store, const reported_occurrence& r, timestamp at
) const {
    keep_details(store, r);
    if (r.uuid) {
        if (auto found = store.occurrences.find_by_uuid(r.meeting, *r.uuid))
            return std::move(*found);
    }
    const auto window = attendance_.settings().early_join_window;
    if (auto live = store.occurrences.live_at(r.meeting, at, window)) {
        if (!r.uuid)
            return std::move(*live);
        // Reported before without a uuid: this is its name.
        if (!live->uuid) {
            live->uuid = r.uuid;
            store.occurrences.save(*live);
            return std::move(*live);
        }
    }
    return open(store, r, r.start_time.value_or(at));
}

occurrence occurrence_service::open(
    attendance_store& store, const reported_occurrence& r, timestamp start
) const {
    occurrence o;
    o.meeting = r.meeting;
    o.uuid = r.uuid;
    o.start_time = start;
    o.status = meeting_status::live;
    o.first_seen = clock_.now();
    o.id = store.occurrences.insert(o);
    store.occurrences.adopt_sessions(
        o, start - attendance_.settings().early_join_window, start + zoom_retry_horizon
    );
    return o;
}

void occurrence_service::start(attendance_store& store, occurrence& o, timestamp start) const {
    const auto before = o;
    occurrence_started(o, start);
    save_if_changed(store, before, o);
}

void occurrence_service::end(
    attendance_store& store,
    event_sink& events,
    occurrence& o,
    timestamp end,
    std::optional<timestamp> start
) const {
    const auto before = o;
    occurrence_ended(o, end, start);
    save_if_changed(store, before, o);
    // Whoever Zoom did not report leaving left when the occurrence ended.
    for (const auto row : store.participants.active_rows(o.id)) {
        if (!still_open(store.participants.marks(row), end))
            store.participants.set_active(row, false);
    }
    sessions_.end_occurrence(store.base, events, o.meeting, o.id, end);
}

zoom_participant occurrence_service::record_presence(
    attendance_store& store,
    event_sink& events,
    occurrence& o,
    const identity& who,
    timestamp at,
    bool joined,
    std::optional<timestamp> start
) const {
    const auto before = o;
    participant_reported(o, start);
    save_if_changed(store, before, o);

    auto p = store.participants.upsert(o, who);
    store.participants.add_mark(p.row, {at, joined});
    const auto marks = store.participants.marks(p.row);
    const bool active = still_open(marks, o.end_time);
    if (active != p.active)
        store.participants.set_active(p.row, active);
    p.active = active;

    events.publish(
        {joined ? "zoomParticipantJoined" : "zoomParticipantLeft",
         o.meeting.value(),
         {},
         [row = attendance_.describe(p, marks, o), meeting = o.meeting, id = o.id] {
             return boost::json::object{
                 {"meetingId", meeting.value()},
                 {"occurrenceId", std::to_string(id.value())},
                 {"participant", row_value(row, meeting)}};
         }}
    );
    if (joined)
        linker::participant_joined(store, events, p);
    return p;
}

occurrence_service::session_occurrence occurrence_service::for_session(
    attendance_store& store, const meeting_id& meeting, timestamp at
) const {
    if (const auto current = store.occurrences.current(meeting))
        return {current->id, false};
    store.base.meetings.note_seen(meeting, at);
    occurrence o;
    o.meeting = meeting;
    o.first_seen = at;
    return {store.occurrences.insert(o), true};
}

}  // namespace headcount::attendance
