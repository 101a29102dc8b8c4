#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "attendance/meeting.hpp"
#include "attendance/zoom_participant.hpp"
#include "auth/user.hpp"
#include "sessions/session.hpp"
#include "sessions/student.hpp"

namespace headcount::attendance {

/// Everything stored about one meeting that its attendance is computed from, read in one
/// transaction. Immutable once loaded, so it can be shared and cached.
struct meeting_snapshot {
    meeting details;
    std::vector<zoom_participant> participants;
    std::unordered_map<std::int64_t, std::vector<mark>> marks;  ///< by participant row
    std::vector<sessions::session> sessions;                    ///< by join time
    std::unordered_map<user_id, auth::user> users;              ///< of the sessions
    /// Students of the sessions and the roster (placeholders for rostered ids without a
    /// record), and those whose email one of the unlinked Zoom participants gave.
    std::unordered_map<student_id, sessions::student> students;
    std::unordered_map<std::string, std::vector<student_id>>
        students_by_email;  ///< lower-cased email
    std::vector<student_id> roster;
};

/// Snapshots kept by storage while nothing has been committed since they were read.
/// Belongs to one storage connection; not thread-safe.
class snapshot_cache {
public:
    virtual ~snapshot_cache() = default;
    /// The kept snapshot of the meeting, or null when there is none or storage changed.
    virtual std::shared_ptr<const meeting_snapshot> find(const meeting_id& meeting) = 0;
    virtual void keep(std::shared_ptr<const meeting_snapshot> snapshot) = 0;
};

}  // namespace headcount::attendance
