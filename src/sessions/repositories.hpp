#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "auth/user_repository.hpp"
#include "sessions/session.hpp"
#include "sessions/student.hpp"

namespace headcount::sessions {

/// Student records. Used inside one storage transaction; not thread-safe.
class student_repository {
public:
    virtual ~student_repository() = default;

    virtual std::optional<student> find(student_id id) = 0;
    /// The ids of `ids` that name no student.
    virtual std::vector<student_id> missing(const std::vector<student_id>& ids) = 0;
    /// Inserts or replaces; true when the student is new.
    virtual bool upsert(const indexed_student& s) = 0;
    virtual std::vector<student> list() = 0;
    /// At most `limit` students whose email equals `email` regardless of ASCII case.
    virtual std::vector<student> find_by_email(std::string_view email, std::size_t limit) = 0;
    virtual std::vector<student> find_by_email_local(std::string_view local, std::size_t limit) = 0;
    virtual std::vector<student> find_by_name_key(std::string_view key, std::size_t limit) = 0;
    /// The students of `ids` that exist, in any order.
    virtual std::vector<student> find_many(const std::vector<student_id>& ids) = 0;
    /// Students whose email is one of `emails` (ASCII case-insensitive), in any order.
    virtual std::vector<student> find_by_emails(const std::vector<std::string>& emails) = 0;
    /// Students whose email's local part (lower-cased) is one of `locals`, in any order.
    virtual std::vector<student> find_by_email_locals(const std::vector<std::string>& locals) = 0;
    /// Students whose normalised full name is one of `keys`, in any order.
    virtual std::vector<student> find_by_name_keys(const std::vector<std::string>& keys) = 0;
};

/// What my-sessions asks for.
struct session_filter {
    std::optional<bool> active;
    std::size_t limit = 50;
    std::optional<timestamp> before;  ///< join time strictly before
};

/// Counts over the active sessions, and the last expiry pass.
struct session_stats {
    std::int64_t total_active = 0;
    std::int64_t active_users = 0;
    std::int64_t active_meetings = 0;
    std::int64_t active_admins = 0;
    std::int64_t active_plain_users = 0;
    std::int64_t students_with_sessions = 0;
    std::int64_t sessions_expired = 0;
    std::optional<timestamp> last_cleanup;
};

/// User sessions. Used inside one storage transaction; not thread-safe.
class session_repository {
public:
    virtual ~session_repository() = default;

    virtual std::optional<session> find(const session_id& id) = 0;
    virtual std::optional<session> find_active(user_id user, const meeting_id& meeting) = 0;
    /// Fails only on a broken invariant (an id or a second active session that exists).
    virtual void insert(const session& s) = 0;
    /// Moves last_activity of an active session of `owner`; false when there is none.
    virtual bool touch(const session_id& id, user_id owner, timestamp at) = 0;
    /// Stores the end of a session that is still active; false when it no longer is.
    virtual bool mark_ended(const session& ended) = 0;
    /// The active sessions of every occurrence of the meeting, by join time.
    virtual std::vector<session> active_in_meeting(const meeting_id& meeting) = 0;
    virtual std::vector<session> active_in_occurrence(occurrence_id occurrence) = 0;
    /// Every session of the occurrence, by join time.
    virtual std::vector<session> in_occurrence(occurrence_id occurrence) = 0;
    /// Every session of the meeting's occurrences that began in [from, to], by join time.
    virtual std::vector<session> in_series(
        const meeting_id& meeting, timestamp from, timestamp to
    ) = 0;
    /// Active sessions whose last activity is before `cutoff`, oldest first.
    virtual std::vector<session> idle_since(timestamp cutoff, std::size_t limit) = 0;
    /// Newest first (join time, then id).
    virtual std::vector<session> list_for_user(user_id user, const session_filter& filter) = 0;
    virtual session_stats stats() = 0;
    /// Claims the expiry pass at `now` unless another claimed one less than `min_gap` ago
    /// (another instance on the same database); true when this caller should run it.
    virtual bool claim_cleanup_pass(timestamp now, std::chrono::milliseconds min_gap) = 0;
};

/// Meetings become known ("seen") when a session, a roster or a webhook names them.
class meeting_registry {
public:
    virtual ~meeting_registry() = default;
    virtual void note_seen(const meeting_id& meeting, timestamp at) = 0;
};

/// Which occurrence of its meeting a new session belongs to. The attendance domain decides
/// (the occurrence live now, or the one about to start); sessions only carry the answer.
class occurrence_chooser {
public:
    virtual ~occurrence_chooser() = default;
    virtual occurrence_id for_new_session(const meeting_id& meeting, timestamp join_time) = 0;
};

/// The repositories one storage transaction offers to the sessions domain.
struct session_store {
    auth::user_repository& users;
    student_repository& students;
    session_repository& sessions;
    meeting_registry& meetings;
};

}  // namespace headcount::sessions
