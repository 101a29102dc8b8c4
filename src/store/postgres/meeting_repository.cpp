#include "store/postgres/meeting_repository.hpp"

namespace headcount::store::postgres {
namespace {

#define MEETING_COLUMNS                                                              \
    "m.meeting_id, m.uuid, m.topic, m.host_id, m.start_time, m.end_time, m.status, " \
    "m.first_seen_at"
constexpr const char* upsert_seen =
    "INSERT INTO meetings (meeting_id, status, first_seen_at, last_seen_at) VALUES ($1, "
    "'scheduled', $2, $2) "
    "ON CONFLICT (meeting_id) DO UPDATE SET last_seen_at = excluded.last_seen_at";
constexpr const char* upsert_details =
    "INSERT INTO meetings (meeting_id, uuid, topic, host_id, status, first_seen_at, last_seen_at) "
    "VALUES ($1, $2, $3, $4, 'scheduled', $5, $5) ON CONFLICT (meeting_id) DO UPDATE SET "
    "uuid = coalesce(excluded.uuid, meetings.uuid), topic = coalesce(excluded.topic, "
    "meetings.topic), host_id = coalesce(excluded.host_id, meetings.host_id), "
    "last_seen_at = excluded.last_seen_at";
constexpr const char* select_one =
    "SELECT " MEETING_COLUMNS " FROM meetings m WHERE m.meeting_id = $1";
constexpr const char* update_schedule =
    "UPDATE meetings SET start_time = $2, end_time = $3, status = $4 WHERE meeting_id = $1";
// A participant is a Zoom participant, or a user whose sessions no Zoom participant is linked to.
constexpr const char* select_list =
    "SELECT " MEETING_COLUMNS
    ", "
    "(SELECT count(*) FROM zoom_participants p WHERE p.meeting_id = m.meeting_id), "
    "(SELECT count(*) FROM zoom_participants p WHERE p.meeting_id = m.meeting_id AND p.is_active), "
    "(SELECT count(DISTINCT s.user_id) FROM user_sessions s WHERE s.meeting_id = m.meeting_id AND "
    "NOT EXISTS "
    "  (SELECT 1 FROM zoom_participants p WHERE p.meeting_id = s.meeting_id AND p.user_id = "
    "s.user_id)), "
    "(SELECT count(DISTINCT s.user_id) FROM user_sessions s WHERE s.meeting_id = m.meeting_id AND "
    "s.is_active "
    "  AND NOT EXISTS (SELECT 1 FROM zoom_participants p WHERE p.meeting_id = s.meeting_id AND "
    "p.user_id = s.user_id)), "
    "(SELECT count(*) FROM user_sessions s WHERE s.meeting_id = m.meeting_id AND s.is_active) "
    "FROM meetings m ORDER BY coalesce(m.start_time, m.first_seen_at) DESC, m.meeting_id";
#undef MEETING_COLUMNS

attendance::meeting read_meeting(const query& q) {
    attendance::meeting m;
    m.id = meeting_id{q.text(0)};
    m.uuid = q.optional_text(1);
    m.topic = q.optional_text(2);
    m.host_id = q.optional_text(3);
    if (const auto t = q.optional_int64(4))
        m.start_time = from_epoch_ms(*t);
    if (const auto t = q.optional_int64(5))
        m.end_time = from_epoch_ms(*t);
    m.status = attendance::parse_meeting_status(q.text_view(6))
                   .value_or(attendance::meeting_status::scheduled);
    m.first_seen = from_epoch_ms(q.int64(7));
    return m;
}

std::optional<std::int64_t> epoch(const std::optional<timestamp>& t) {
    if (!t)
        return std::nullopt;
    return to_epoch_ms(*t);
}

}  // namespace

void meeting_repository::note_seen(const meeting_id& meeting, timestamp at) {
    db_.prepare(upsert_seen).with(meeting.value(), to_epoch_ms(at)).run();
}

std::optional<attendance::meeting> meeting_repository::find(const meeting_id& id) {
    auto q = db_.prepare(select_one);
    q.with(id.value());
    if (!q.step())
        return std::nullopt;
    return read_meeting(q);
}

void meeting_repository::record_details(
    const meeting_id& id,
    const std::optional<std::string>& uuid,
    const std::optional<std::string>& topic,
    const std::optional<std::string>& host_id,
    timestamp now
) {
    db_.prepare(upsert_details).with(id.value(), uuid, topic, host_id, to_epoch_ms(now)).run();
}

void meeting_repository::save_schedule(const attendance::meeting& m) {
    db_.prepare(update_schedule)
        .with(m.id.value(), epoch(m.start_time), epoch(m.end_time), attendance::to_string(m.status))
        .run();
}

std::vector<attendance::meeting_summary> meeting_repository::list() {
    std::vector<attendance::meeting_summary> out;
    auto q = db_.prepare(select_list);
    while (q.step()) {
        attendance::meeting_summary s;
        s.details = read_meeting(q);
        s.participant_count = q.int64(8) + q.int64(10);
        s.active_participant_count = q.int64(9) + q.int64(11);
        s.active_session_count = q.int64(12);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace headcount::store::postgres
