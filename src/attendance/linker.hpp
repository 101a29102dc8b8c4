#pragma once

#include <optional>

#include "attendance/repositories.hpp"
#include "auth/user.hpp"
#include "common/domain_event.hpp"
#include "sessions/session.hpp"

namespace headcount::attendance {

/// Links user sessions with Zoom participants of the same occurrence (CONTRACT "Linking"):
/// the first rule giving exactly one candidate wins — email, customer key, then name — and
/// two or more candidates under a rule link nobody by it. Tried when either side arrives,
/// so arrival order does not matter. Each new link raises `participantLinked` once.
class linker {
public:
    /// A session started: link it with the Zoom participant it stands for. A link belongs
    /// to the user, so a user linked in this occurrence before keeps it, now on the new
    /// session.
    static void session_started(
        attendance_store& store,
        event_sink& events,
        const sessions::session& s,
        const auth::user& owner,
        const std::optional<sessions::student_match>& student
    );

    /// A Zoom participant joined: link it with an active session not linked yet.
    static void participant_joined(
        attendance_store& store, event_sink& events, zoom_participant& p
    );
};

}  // namespace headcount::attendance
