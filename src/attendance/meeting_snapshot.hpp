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
#include "sessions/student_index.hpp"

namespace headcount::attendance {

/// Who is who in one occurrence, as its records and the people they name say: computed once
/// when a snapshot is read (report_builder's match_people), since it does not change with the
/// time a report is built. Points into the snapshot's people.
struct occurrence_matches {
    /// The student each user with sessions in the occurrence is (CONTRACT "Student matching").
    std::unordered_map<user_id, const sessions::student*> students;
    /// By participant (as in occurrence_records::participants): a link no stored one makes,
    /// to this user by this rule.
    std::vector<std::optional<std::pair<user_id, link_rule>>> links;
    /// By participant: the one student with the participant's email.
    std::vector<const sessions::student*> by_email;
};

/// What one occurrence's attendance is computed from.
struct occurrence_records {
    occurrence details;
    std::vector<zoom_participant> participants;
    std::unordered_map<std::int64_t, std::vector<mark>> marks;  ///< by participant row
    std::vector<sessions::session> sessions;                    ///< by join time
    occurrence_matches matches;
};

/// The people the records of a meeting's occurrences name, and who is expected: the users of
/// the sessions, and the students of the roster (placeholders for rostered ids without a
/// record), those the users may match (by their explicit link, email, email's local part or
/// the names given at join) and those whose email an unlinked Zoom participant gave.
struct people_directory {
    std::unordered_map<user_id, auth::user> users;
    sessions::student_index students;
    std::vector<student_id> roster;
};

/// Everything stored about one occurrence of a meeting that its attendance is computed from,
/// read in one transaction. Immutable once loaded, so it can be shared and cached.
struct meeting_snapshot {
    meeting series;
    /// The occurrence asked for; for a meeting known only from its roster, one with id 0.
    occurrence_records records;
    people_directory people;
};

/// The same for the occurrences of a meeting in a range of time, oldest first.
struct series_snapshot {
    meeting series;
    std::vector<occurrence_records> occurrences;
    people_directory people;
};

/// Snapshots kept by storage while nothing has been committed since they were read.
/// Belongs to one storage connection; not thread-safe.
class snapshot_cache {
public:
    virtual ~snapshot_cache() = default;
    /// The snapshot kept under `key`, or null when there is none or storage changed.
    virtual std::shared_ptr<const meeting_snapshot> find(const std::string& key) = 0;
    virtual void keep(const std::string& key, std::shared_ptr<const meeting_snapshot> snapshot) = 0;
};

}  // namespace headcount::attendance
