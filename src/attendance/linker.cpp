#include "attendance/linker.hpp"

#include <algorithm>
#include <charconv>

#include "common/text.hpp"

namespace headcount::attendance {
namespace {

void announce(
    event_sink& events,
    const zoom_participant& p,
    const session_id& session,
    user_id user,
    link_rule rule
) {
    boost::json::object participant;
    participant["participantId"] = p.who.participant_id;
    participant["participantName"] =
        p.who.name ? boost::json::value(*p.who.name) : boost::json::value(nullptr);
    participant["email"] =
        p.who.email ? boost::json::value(*p.who.email) : boost::json::value(nullptr);
    participant["zoomUserId"] =
        p.who.zoom_user_id ? boost::json::value(*p.who.zoom_user_id) : boost::json::value(nullptr);
    boost::json::object payload;
    payload["meetingId"] = p.meeting.value();
    payload["occurrenceId"] = std::to_string(p.occurrence.value());
    payload["sessionId"] = session.value();
    payload["userId"] = std::to_string(user.value());
    payload["linkedBy"] = to_string(rule);
    payload["participant"] = std::move(participant);
    events.publish(
        {"participantLinked", p.meeting.value(), {std::to_string(user.value())}, std::move(payload)}
    );
}

template <class T>
std::optional<T> only(std::vector<T> candidates) {
    if (candidates.size() != 1)
        return std::nullopt;
    return std::move(candidates.front());
}

}  // namespace

void linker::session_started(
    attendance_store& store,
    event_sink& events,
    const sessions::session& s,
    const auth::user& owner,
    const std::optional<sessions::student_match>& student
) {
    auto& participants = store.participants;
    // Most sessions start before Zoom reports anyone (or in meetings Zoom never reports).
    if (!participants.any_in_occurrence(s.occurrence))
        return;
    if (auto previous = participants.linked_to(s.occurrence, owner.id); !previous.empty()) {
        participants.follow_session(s.occurrence, owner.id, s.id);
        for (const auto& p : previous)
            announce(events, p, s.id, owner.id, p.linked_by.value_or(link_rule::email));
        return;
    }
    std::optional<std::pair<zoom_participant, link_rule>> found;
    if (auto p = only(participants.unlinked_by_email(s.occurrence, owner.email, 2))) {
        found.emplace(std::move(*p), link_rule::email);
    } else if (auto by_key = only(participants.unlinked_by_customer_key(
                   s.occurrence, std::to_string(owner.id.value()), 2
               ))) {
        found.emplace(std::move(*by_key), link_rule::customer_key);
    } else {
        std::vector<std::string> names{s.name_key, text::normalize_name(owner.username)};
        if (student)
            names.push_back(text::normalize_name(student->who.full_name()));
        std::erase_if(names, [](const std::string& n) { return n.empty(); });
        if (!names.empty()) {
            if (auto by_name = only(participants.unlinked_by_name(s.occurrence, names, 2))) {
                found.emplace(std::move(*by_name), link_rule::name);
            }
        }
    }
    if (found && participants.link(found->first.row, owner.id, s.id, found->second)) {
        announce(events, found->first, s.id, owner.id, found->second);
    }
}

void linker::participant_joined(attendance_store& store, event_sink& events, zoom_participant& p) {
    auto& participants = store.participants;
    if (p.user) {
        // Already linked: keep pointing at the user's current session.
        if (auto current = participants.active_session_of(p.occurrence, *p.user);
            current && current != p.session) {
            participants.follow_session(p.occurrence, *p.user, *current);
            p.session = *current;
        }
        return;
    }
    std::optional<std::pair<session_candidate, link_rule>> found;
    if (p.who.email) {
        if (auto c = only(participants.unlinked_sessions_by_email(p.occurrence, *p.who.email, 2))) {
            found.emplace(std::move(*c), link_rule::email);
        }
    }
    if (!found && p.who.customer_key) {
        std::int64_t id = 0;
        const auto& key = *p.who.customer_key;
        auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
        if (ec == std::errc{} && end == key.data() + key.size() && id > 0) {
            if (auto c =
                    only(participants.unlinked_sessions_by_user(p.occurrence, user_id{id}, 2))) {
                found.emplace(std::move(*c), link_rule::customer_key);
            }
        }
    }
    if (!found && !p.who.name_key.empty()) {
        if (auto c =
                only(participants.unlinked_sessions_by_name(p.occurrence, p.who.name_key, 2))) {
            found.emplace(std::move(*c), link_rule::name);
        }
    }
    if (found && participants.link(p.row, found->first.user, found->first.session, found->second)) {
        p.user = found->first.user;
        p.session = found->first.session;
        p.linked_by = found->second;
        announce(events, p, found->first.session, found->first.user, found->second);
    }
}

}  // namespace headcount::attendance
