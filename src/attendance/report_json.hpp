#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "attendance/attendance_report.hpp"
#include "attendance/series_report.hpp"
#include "common/json_writer.hpp"

namespace headcount::attendance {

/// `{meetingId, topic, startTime, endTime, status, occurrenceId, uuid}`: the meeting as one
/// occurrence of it (`occurrenceId` null for an occurrence not stored).
boost::json::object meeting_json(const meeting& series, const occurrence& o);
/// `{occurrenceId, uuid, startTime, endTime, status}`.
boost::json::object occurrence_json(const occurrence& o);
/// An occurrence of GET /api/meetings/:meetingId/occurrences, with its participant count.
boost::json::object occurrence_summary_json(const occurrence_summary& o);
/// A meeting of GET /api/meetings: its latest occurrence's fields and counts (as before
/// occurrences), `occurrenceCount` and `latestOccurrence`.
boost::json::object meeting_summary_json(const meeting_summary& m);

/// One participant; `enriched` adds the authenticated user, student and session fields.
/// `Out` is json::writer (text) or json::tree_writer (a value).
template <class Out>
void write_row(Out& out, const participant_row& row, const meeting_id& meeting, bool enriched);
/// One plain participant as a JSON value (for the zoomParticipant* events).
boost::json::value row_value(const participant_row& row, const meeting_id& meeting);
/// The whole answer of GET /api/attendance-tracker/attendance/:meetingId:
/// `{success, meetingId, meeting, participants, summary[, authenticationStats]}`.
std::string report_body(const attendance_report& report, bool enriched);
/// The enriched rows as RFC 4180 CSV with the contract's header, UTF-8, CRLF.
std::string report_csv(const attendance_report& report);
/// The answer of GET /api/meetings/:meetingId/series.
std::string series_body(const series_report& report);
/// The course view as an RFC 4180 matrix: one row per person, one column per occurrence.
std::string series_csv(const series_report& report);

}  // namespace headcount::attendance
