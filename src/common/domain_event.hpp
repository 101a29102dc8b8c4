#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace headcount {

/// Something that happened, to be pushed to dashboards (CONTRACT section 4).
/// Admins receive every event (or those of the meetings they subscribed to); the users in
/// `user_ids` receive it too because it is about their own sessions.
struct domain_event {
    std::string name;
    std::string meeting_id;
    std::vector<std::string> user_ids;
    boost::json::object payload;
};

/// Where domain services put their events. Implementations are thread-safe.
class event_sink {
public:
    virtual ~event_sink() = default;
    virtual void publish(domain_event event) = 0;
};

}  // namespace headcount
