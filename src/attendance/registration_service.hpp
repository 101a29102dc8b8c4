#pragma once

#include "attendance/occurrence_service.hpp"
#include "attendance/repositories.hpp"
#include "sessions/session_service.hpp"

namespace headcount::attendance {

/// join-meeting as a whole: the user session (sessions domain) in the occurrence it belongs
/// to (occurrence_service) and, for a new session, its link with the Zoom participant it
/// stands for, in one transaction.
class registration_service {
public:
    registration_service(
        const sessions::session_service& sessions, const occurrence_service& occurrences
    )
        : sessions_(sessions), occurrences_(occurrences) {}

    sessions::join_result join(
        attendance_store& store,
        event_sink& events,
        const auth::user& user,
        const sessions::join_request& request
    ) const;

private:
    const sessions::session_service& sessions_;
    const occurrence_service& occurrences_;
};

}  // namespace headcount::attendance
