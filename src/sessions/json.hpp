#pragma once

#include <boost/json/value_from.hpp>

#include "common/json_writer.hpp"
#include "sessions/session.hpp"
#include "sessions/student.hpp"

namespace headcount::sessions {

/// `{studentId, firstName, lastName, department, email}` (the seed's Student object).
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const student& s);
/// The student object plus `matchedBy`.
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const student_match& m);
/// `{sessionId, userId, meetingId, occurrenceId, participantName, device, joinTime,
/// lastActivity, leaveTime, duration, isActive, endReason}`.
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const session& s);

/// The same object as the session's tag_invoke, written straight into `out`: for long lists,
/// where building a value tree first costs more than the answer itself.
void write_session(json::writer& out, const session& s);

/// A student match as JSON, or null when there is none.
boost::json::value match_to_json(const std::optional<student_match>& m);
/// An optional time as an ISO string, or null.
boost::json::value time_or_null(const std::optional<timestamp>& t);

}  // namespace headcount::sessions
