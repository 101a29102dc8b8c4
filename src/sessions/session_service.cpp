#include "sessions/session_service.hpp"

#include <algorithm>
#include <unordered_map>

#include "auth/user_json.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "sessions/json.hpp"
#include "sessions/student_matcher.hpp"

namespace headcount::sessions {
namespace {

/// What the seed's meeting page sends as the participant name: it means "no name given".
constexpr std::string_view token_placeholder_name = "Auto-detected from token";

api_error no_active_session() {
    return {errc::no_active_session, "No active session found", {}};
}

std::optional<student_match> stored_match(student_repository& students, const session& s) {
    if (!s.student || !s.matched_by)
        return std::nullopt;
    auto found = students.find(*s.student);
    if (!found)
        return std::nullopt;
    return student_match{std::move(*found), *s.matched_by};
}

/// Users loaded once per call, for operations that touch many sessions.
class user_lookup {
public:
    explicit user_lookup(auth::user_repository& users) : users_(users) {}

    const auth::user* find(user_id id) {
        auto it = cache_.find(id);
        if (it == cache_.end())
            it = cache_.emplace(id, users_.find_by_id(id)).first;
        return it->second ? &*it->second : nullptr;
    }

private:
    auth::user_repository& users_;
    std::unordered_map<user_id, std::optional<auth::user>> cache_;
};

/// A user that no longer exists still has its sessions; events then name only the id.
auth::user placeholder_user(user_id id) {
    auth::user u;
    u.id = id;
    return u;
}

// The payloads of CONTRACT section 4, built where the events are delivered.

boost::json::object joined_payload(
    const session& s, const auth::user& user, const std::optional<student_match>& student
) {
    boost::json::object payload;
    payload["sessionId"] = s.id.value();
    payload["meetingId"] = s.meeting.value();
    payload["occurrenceId"] = std::to_string(s.occurrence.value());
    payload["user"] = boost::json::value_from(user);
    payload["student"] = match_to_json(student);
    payload["joinTime"] = format_iso(s.join_time);
    boost::json::object participant_data;
    participant_data["participantName"] = s.participant_name;
    participant_data["device"] =
        s.device ? boost::json::value(*s.device) : boost::json::value(nullptr);
    payload["participantData"] = std::move(participant_data);
    return payload;
}

boost::json::object left_payload(const session& s, const auth::user& owner) {
    boost::json::object payload;
    payload["sessionId"] = s.id.value();
    payload["meetingId"] = s.meeting.value();
    payload["occurrenceId"] = std::to_string(s.occurrence.value());
    payload["user"] = boost::json::value_from(owner);
    payload["leaveTime"] = time_or_null(s.leave_time);
    payload["duration"] =
        s.duration_minutes ? boost::json::value(*s.duration_minutes) : boost::json::value(nullptr);
    payload["reason"] = s.reason ? to_string(*s.reason) : "left";
    return payload;
}

}  // namespace

join_result session_service::join(
    session_store& store,
    event_sink& events,
    const auth::user& user,
    const join_request& request,
    occurrence_chooser& occurrences
) const {
    const auto now = clock_.now();
    if (auto existing = store.sessions.find_active(user.id, request.meeting)) {
        store.sessions.touch(existing->id, user.id, now);
        existing->last_activity = now;
        auto student = stored_match(store.students, *existing);
        return {std::move(*existing), std::move(student), false};
    }

    auto given_name = request.participant_name;
    if (given_name == token_placeholder_name)
        given_name.reset();
    auto student = match_student(store.students, user, given_name);

    session s;
    s.user = user.id;
    s.meeting = request.meeting;
    s.occurrence = occurrences.for_new_session(request.meeting, now);
    s.participant_name = given_name.value_or(user.username);
    s.name_key = text::normalize_name(s.participant_name);
    s.device = request.device;
    // The id carries the join time; a rejoin within the same millisecond takes the next one.
    auto join_time = now;
    s.id = make_session_id(user.id, request.meeting, join_time);
    while (store.sessions.find(s.id)) {
        join_time += std::chrono::milliseconds{1};
        s.id = make_session_id(user.id, request.meeting, join_time);
    }
    s.join_time = join_time;
    s.last_activity = join_time;
    if (student) {
        s.student = student->who.id;
        s.matched_by = student->rule;
    }
    store.sessions.insert(s);

    events.publish(
        {"userJoinedMeeting",
         s.meeting.value(),
         {std::to_string(user.id.value())},
         [s, user, student] { return joined_payload(s, user, student); }}
    );

    return {std::move(s), std::move(student), true};
}

session session_service::end_now(session s, timestamp at, end_reason reason) const {
    s.active = false;
    s.leave_time = at;
    s.reason = reason;
    s.duration_minutes = minutes_between(s.join_time, at);
    return s;
}

void session_service::announce_left(event_sink& events, const session& s, const auth::user& owner)
    const {
    events.publish(
        {"userLeftMeeting",
         s.meeting.value(),
         {std::to_string(s.user.value())},
         [s, owner] { return left_payload(s, owner); }}
    );
}

outcome<session> session_service::leave(
    session_store& store, event_sink& events, const auth::user& actor, const session_id& id
) const {
    auto found = store.sessions.find(id);
    if (!found || !found->active || (found->user != actor.id && !actor.is_admin())) {
        return no_active_session();
    }
    auto ended = end_now(std::move(*found), clock_.now(), end_reason::left);
    if (!store.sessions.mark_ended(ended))
        return no_active_session();
    const auto owner = ended.user == actor.id ? std::optional<auth::user>(actor)
                                              : store.users.find_by_id(ended.user);
    announce_left(events, ended, owner ? *owner : placeholder_user(ended.user));
    return ended;
}

outcome<timestamp> session_service::record_activity(
    session_store& store, const auth::user& owner, const session_id& id
) const {
    const auto now = clock_.now();
    if (!store.sessions.touch(id, owner.id, now))
        return no_active_session();
    return now;
}

std::vector<session> session_service::sessions_of(
    session_store& store, user_id user, const session_filter& filter
) const {
    return store.sessions.list_for_user(user, filter);
}

std::vector<session_details> session_service::active_participants(
    session_store& store, const meeting_id& meeting
) const {
    user_lookup users(store.users);
    std::vector<session_details> out;
    for (auto& s : store.sessions.active_in_meeting(meeting)) {
        const auto* user = users.find(s.user);
        auto student = stored_match(store.students, s);
        out.push_back({std::move(s), user ? *user : placeholder_user(s.user), std::move(student)});
    }
    return out;
}

std::size_t session_service::end_all(
    session_store& store,
    event_sink& events,
    std::vector<session> active,
    timestamp at,
    const meeting_id& meeting,
    boost::json::object ended_by,
    std::optional<occurrence_id> occurrence
) const {
    user_lookup users(store.users);
    std::vector<std::string> affected;
    std::size_t count = 0;
    for (auto& s : active) {
        const auto leave_at = std::max(at, s.join_time);
        auto ended = end_now(std::move(s), leave_at, end_reason::meeting_ended);
        if (!store.sessions.mark_ended(ended))
            continue;
        ++count;
        const auto* owner = users.find(ended.user);
        announce_left(events, ended, owner ? *owner : placeholder_user(ended.user));
        auto id = std::to_string(ended.user.value());
        if (std::find(affected.begin(), affected.end(), id) == affected.end())
            affected.push_back(std::move(id));
    }
    boost::json::object payload;
    payload["meetingId"] = meeting.value();
    if (occurrence)
        payload["occurrenceId"] = std::to_string(occurrence->value());
    payload["endedCount"] = count;
    payload["endedBy"] = std::move(ended_by);
    payload["at"] = format_iso(at);
    events.publish(
        {"meetingSessionsEnded", meeting.value(), std::move(affected), std::move(payload)}
    );
    return count;
}

std::size_t session_service::end_meeting(
    session_store& store, event_sink& events, const auth::user& admin, const meeting_id& meeting
) const {
    return end_all(
        store, events, store.sessions.active_in_meeting(meeting), clock_.now(), meeting,
        {{"id", std::to_string(admin.id.value())}, {"username", admin.username}}, std::nullopt
    );
}

std::size_t session_service::end_occurrence(
    session_store& store,
    event_sink& events,
    const meeting_id& meeting,
    occurrence_id occurrence,
    timestamp end
) const {
    // Zoom is no user: no id, and the name the dashboards show.
    return end_all(
        store, events, store.sessions.active_in_occurrence(occurrence), end, meeting,
        {{"id", nullptr}, {"username", "Zoom"}}, occurrence
    );
}

session_stats session_service::stats(session_store& store) const {
    return store.sessions.stats();
}

std::optional<std::size_t> session_service::expire_idle(session_store& store, event_sink& events)
    const {
    const auto now = clock_.now();
    const auto gap =
        std::chrono::duration_cast<std::chrono::milliseconds>(settings_.cleanup_interval) / 2;
    if (!store.sessions.claim_cleanup_pass(now, gap))
        return std::nullopt;
    const auto cutoff =
        now - std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_timeout);
    user_lookup users(store.users);
    std::size_t count = 0;
    // Bounded per pass so that one transaction stays short; the next pass takes the rest.
    for (auto& s : store.sessions.idle_since(cutoff, 5000)) {
        const auto left_at = s.last_activity;
        auto ended = end_now(std::move(s), left_at, end_reason::expired);
        if (!store.sessions.mark_ended(ended))
            continue;
        ++count;
        const auto* owner = users.find(ended.user);
        announce_left(events, ended, owner ? *owner : placeholder_user(ended.user));
    }
    return count;
}

}  // namespace headcount::sessions
