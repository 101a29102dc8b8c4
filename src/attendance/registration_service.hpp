#pragma once

#include "attendance/repositories.hpp"
#include "sessions/session_service.hpp"

namespace headcount::attendance {

/// join-meeting as a whole: the user session (sessions domain) and, for a new session, its
/// link with the Zoom participant it stands for, in one transaction.
class registration_service {
public:
    explicit registration_service(const sessions::session_service& sessions)
        : sessions_(sessions) {}

    sessions::join_result join(
        attendance_store& store,
        event_sink& events,
        const auth::user& user,
        const sessions::join_request& request
    ) const;

private:
    const sessions::session_service& sessions_;
};

}  // namespace headcount::attendance
