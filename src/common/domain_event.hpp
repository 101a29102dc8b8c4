#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace headcount {

/// A function that builds an event's payload.
template <class F>
concept payload_builder = std::is_invocable_r_v<boost::json::object, F&>;

/// An event's payload, given built or as a function that builds it from values it captured.
/// The SQLite writer, the thread every write waits for, raises most events: it hands over
/// the values, and the payload is built where the event is delivered, after the commit, and
/// not at all when no socket can receive it. An event is read by one thread at a time.
class event_payload {
public:
    event_payload() = default;
    event_payload(boost::json::object built) : built_(std::move(built)) {}
    template <payload_builder Build>
    event_payload(Build build) : build_(std::move(build)) {}

    /// The payload, built on the first call if it was given as a function.
    const boost::json::object& get() const {
        if (build_)
            built_ = std::exchange(build_, nullptr)();
        return built_;
    }

private:
    mutable boost::json::object built_;
    mutable std::function<boost::json::object()> build_;
};

/// Something that happened, to be pushed to dashboards (CONTRACT section 4).
/// Admins receive every event (or those of the meetings they subscribed to); the users in
/// `user_ids` receive it too because it is about their own sessions.
struct domain_event {
    std::string name;
    std::string meeting_id;
    std::vector<std::string> user_ids;
    event_payload payload;
};

/// Where domain services put their events. Implementations are thread-safe.
class event_sink {
public:
    virtual ~event_sink() = default;
    virtual void publish(domain_event event) = 0;
};

}  // namespace headcount
