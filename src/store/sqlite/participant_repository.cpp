#include "store/sqlite/participant_repository.hpp"

#include "common/json.hpp"
#include "common/text.hpp"

namespace headcount::store::sqlite {
namespace {

#define PARTICIPANT_COLUMNS                                                                       \
    "id, meeting_id, participant_key, participant_id, zoom_user_id, participant_name, name_key, " \
    "email, customer_key, is_active, user_id, session_id, linked_by"
constexpr const char* insert_delivery =
    "INSERT OR IGNORE INTO zoom_deliveries (event, meeting_id, participant_key, event_time, "
    "received_at) "
    "VALUES (?, ?, ?, ?, ?)";
// A participant is inserted, or updated by id once read, rather than upserted with RETURNING:
// SQLite gathers RETURNING rows in a temporary b-tree that it opens and frees on every
// statement (a quarter of the writer's time under webhook load).
constexpr const char* insert_participant =
    "INSERT INTO zoom_participants (meeting_id, participant_key, participant_id, zoom_user_id, "
    "participant_name, name_key, email, email_key, customer_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* update_participant =
    "UPDATE zoom_participants SET "
    "zoom_user_id = coalesce(?2, zoom_user_id), "
    "participant_name = coalesce(?3, participant_name), "
    "name_key = CASE WHEN ?4 <> '' THEN ?4 ELSE name_key END, "
    "email = coalesce(?5, email), email_key = coalesce(?6, email_key), "
    "customer_key = coalesce(?7, customer_key) WHERE id = ?1";
constexpr const char* select_by_key = "SELECT " PARTICIPANT_COLUMNS
                                      " FROM zoom_participants WHERE meeting_id = ? AND "
                                      "participant_key = ?";
constexpr const char* select_row =
    "SELECT " PARTICIPANT_COLUMNS " FROM zoom_participants WHERE id = ?";
constexpr const char* insert_mark =
    "INSERT OR IGNORE INTO zoom_participant_events (participant_row, at, kind) VALUES (?, ?, ?)";
constexpr const char* select_marks =
    "SELECT at, kind FROM zoom_participant_events WHERE participant_row = ? ORDER BY at";
constexpr const char* update_active = "UPDATE zoom_participants SET is_active = ? WHERE id = ?";
constexpr const char* select_active_rows =
    "SELECT id FROM zoom_participants WHERE meeting_id = ? AND is_active = 1";
constexpr const char* select_meeting =
    "SELECT " PARTICIPANT_COLUMNS " FROM zoom_participants WHERE meeting_id = ? ORDER BY id";
constexpr const char* select_meeting_marks =
    "SELECT e.participant_row, e.at, e.kind FROM zoom_participant_events e "
    "JOIN zoom_participants p ON p.id = e.participant_row WHERE p.meeting_id = ? ORDER BY "
    "e.participant_row, e.at";
constexpr const char* select_any_in_meeting =
    "SELECT 1 FROM zoom_participants WHERE meeting_id = ? LIMIT 1";
constexpr const char* select_linked =
    "SELECT " PARTICIPANT_COLUMNS
    " FROM zoom_participants WHERE meeting_id = ? AND user_id = ? ORDER BY id";
constexpr const char* select_unlinked_email =
    "SELECT " PARTICIPANT_COLUMNS
    " FROM zoom_participants "
    "WHERE meeting_id = ? AND user_id IS NULL AND email_key = ? ORDER BY id LIMIT ?";
constexpr const char* select_unlinked_key =
    "SELECT " PARTICIPANT_COLUMNS
    " FROM zoom_participants "
    "WHERE meeting_id = ? AND user_id IS NULL AND customer_key = ? ORDER BY id LIMIT ?";
constexpr const char* select_unlinked_name =
    "SELECT " PARTICIPANT_COLUMNS
    " FROM zoom_participants WHERE meeting_id = ? AND user_id IS NULL "
    "AND name_key <> '' AND name_key IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?";
constexpr const char* link_participant =
    "UPDATE zoom_participants SET user_id = ?, session_id = ?, linked_by = ? WHERE id = ? AND "
    "user_id IS NULL";
constexpr const char* follow =
    "UPDATE zoom_participants SET session_id = ? WHERE meeting_id = ? AND user_id = ?";
#define CANDIDATES                                                                             \
    "SELECT s.session_id, s.user_id FROM user_sessions s JOIN users u ON u.id = s.user_id "    \
    "LEFT JOIN students st ON st.student_id = s.student_id WHERE s.meeting_id = ?1 AND "       \
    "s.is_active = 1 "                                                                         \
    "AND NOT EXISTS (SELECT 1 FROM zoom_participants p WHERE p.meeting_id = s.meeting_id AND " \
    "p.user_id = s.user_id) "
constexpr const char* sessions_by_email =
    CANDIDATES "AND u.email_key = ?2 ORDER BY s.join_time LIMIT ?3";
constexpr const char* sessions_by_user =
    CANDIDATES "AND s.user_id = ?2 ORDER BY s.join_time LIMIT ?3";
constexpr const char* sessions_by_name = CANDIDATES
    "AND (s.name_key = ?2 OR u.username_key = ?2 OR st.name_key = ?2) ORDER BY s.join_time LIMIT "
    "?3";
constexpr const char* select_active_session =
    "SELECT session_id FROM user_sessions WHERE meeting_id = ? AND user_id = ? AND is_active = 1";
constexpr const char* delete_roster = "DELETE FROM meeting_roster WHERE meeting_id = ?";
constexpr const char* insert_roster =
    "INSERT OR IGNORE INTO meeting_roster (meeting_id, student_id) VALUES (?, ?)";
constexpr const char* select_roster =
    "SELECT student_id FROM meeting_roster WHERE meeting_id = ? ORDER BY student_id";
#undef CANDIDATES
#undef PARTICIPANT_COLUMNS

attendance::zoom_participant read_participant(const query& q) {
    attendance::zoom_participant p;
    p.row = q.int64(0);
    p.meeting = meeting_id{q.text(1)};
    p.who.key = q.text(2);
    p.who.participant_id = q.text(3);
    p.who.zoom_user_id = q.optional_text(4);
    p.who.name = q.optional_text(5);
    p.who.name_key = q.text(6);
    p.who.email = q.optional_text(7);
    p.who.customer_key = q.optional_text(8);
    p.active = q.int64(9) == 1;
    if (const auto u = q.optional_int64(10))
        p.user = user_id{*u};
    if (auto s = q.optional_text(11))
        p.session = session_id{std::move(*s)};
    if (!q.is_null(12))
        p.linked_by = attendance::parse_link_rule(q.text_view(12));
    return p;
}

std::vector<attendance::zoom_participant> read_participants(query& q) {
    std::vector<attendance::zoom_participant> out;
    while (q.step())
        out.push_back(read_participant(q));
    return out;
}

std::vector<attendance::session_candidate> read_candidates(query& q) {
    std::vector<attendance::session_candidate> out;
    while (q.step())
        out.push_back({session_id{q.text(0)}, user_id{q.int64(1)}});
    return out;
}

attendance::mark read_mark(const query& q, int at_column) {
    return {from_epoch_ms(q.int64(at_column)), q.text_view(at_column + 1) == "join"};
}

/// Whether the upsert below would change a stored participant: it fills in or replaces
/// with what a delivery gives, and keeps what it leaves out.
bool would_change(const attendance::identity& stored, const attendance::identity& given) {
    const auto differs = [](const auto& given_value, const auto& stored_value) {
        return given_value && given_value != stored_value;
    };
    return differs(given.zoom_user_id, stored.zoom_user_id) || differs(given.name, stored.name) ||
           (!given.name_key.empty() && given.name_key != stored.name_key) ||
           differs(given.email, stored.email) || differs(given.customer_key, stored.customer_key);
}

}  // namespace

std::string json_list(const std::vector<std::string>& values) {
    std::string out = "[";
    for (const auto& v : values) {
        if (out.size() > 1)
            out.push_back(',');
        json::write_string(out, v);
    }
    out.push_back(']');
    return out;
}

std::string json_list(const std::vector<std::int64_t>& values) {
    std::string out = "[";
    for (const auto v : values) {
        if (out.size() > 1)
            out.push_back(',');
        out += std::to_string(v);
    }
    out.push_back(']');
    return out;
}

bool participant_repository::record_delivery(
    std::string_view event,
    const meeting_id& meeting,
    std::string_view participant_key,
    timestamp event_time,
    timestamp now
) {
    return db_.prepare(insert_delivery)
               .with(
                   event, meeting.value(), participant_key, to_epoch_ms(event_time),
                   to_epoch_ms(now)
               )
               .run() == 1;
}

attendance::zoom_participant participant_repository::upsert(
    const meeting_id& meeting, const attendance::identity& who
) {
    std::optional<std::int64_t> stored_row;
    {
        // Most deliveries repeat what is stored (a leave, a rejoin): then nothing is written.
        auto q = db_.prepare(select_by_key);
        q.with(meeting.value(), who.key);
        if (q.step()) {
            auto stored = read_participant(q);
            if (!would_change(stored.who, who))
                return stored;
            stored_row = stored.row;
        }
    }
    std::optional<std::string> email_key;
    if (who.email)
        email_key = text::ascii_lower(*who.email);
    if (stored_row) {
        db_.prepare(update_participant)
            .with(
                *stored_row, who.zoom_user_id, who.name, who.name_key, who.email, email_key,
                who.customer_key
            )
            .run();
        auto updated = find_row(*stored_row);
        if (!updated)
            throw error(0, "an updated Zoom participant could not be read back");
        return std::move(*updated);
    }
    db_.prepare(insert_participant)
        .with(
            meeting.value(), who.key, who.participant_id, who.zoom_user_id, who.name, who.name_key,
            who.email, email_key, who.customer_key
        )
        .run();
    attendance::zoom_participant created;
    created.row = db_.last_insert_rowid();
    created.meeting = meeting;
    created.who = who;
    return created;
}

std::optional<attendance::zoom_participant> participant_repository::find_row(std::int64_t row) {
    auto q = db_.prepare(select_row);
    q.with(row);
    if (!q.step())
        return std::nullopt;
    return read_participant(q);
}

void participant_repository::add_mark(std::int64_t row, const attendance::mark& m) {
    db_.prepare(insert_mark).with(row, to_epoch_ms(m.at), m.join ? "join" : "leave").run();
}

std::vector<attendance::mark> participant_repository::marks(std::int64_t row) {
    std::vector<attendance::mark> out;
    auto q = db_.prepare(select_marks);
    q.with(row);
    while (q.step())
        out.push_back(read_mark(q, 0));
    return out;
}

void participant_repository::set_active(std::int64_t row, bool active) {
    db_.prepare(update_active).with(active, row).run();
}

std::vector<std::int64_t> participant_repository::active_rows(const meeting_id& meeting) {
    std::vector<std::int64_t> out;
    auto q = db_.prepare(select_active_rows);
    q.with(meeting.value());
    while (q.step())
        out.push_back(q.int64(0));
    return out;
}

std::vector<attendance::zoom_participant> participant_repository::in_meeting(
    const meeting_id& meeting
) {
    auto q = db_.prepare(select_meeting);
    q.with(meeting.value());
    return read_participants(q);
}

std::vector<std::pair<std::int64_t, attendance::mark>> participant_repository::marks_in_meeting(
    const meeting_id& meeting
) {
    std::vector<std::pair<std::int64_t, attendance::mark>> out;
    auto q = db_.prepare(select_meeting_marks);
    q.with(meeting.value());
    while (q.step())
        out.emplace_back(q.int64(0), read_mark(q, 1));
    return out;
}

bool participant_repository::any_in_meeting(const meeting_id& meeting) {
    auto q = db_.prepare(select_any_in_meeting);
    q.with(meeting.value());
    return q.step();
}

std::vector<attendance::zoom_participant> participant_repository::linked_to(
    const meeting_id& meeting, user_id user
) {
    auto q = db_.prepare(select_linked);
    q.with(meeting.value(), user.value());
    return read_participants(q);
}

std::vector<attendance::zoom_participant> participant_repository::unlinked_by_email(
    const meeting_id& meeting, std::string_view email, std::size_t limit
) {
    auto q = db_.prepare(select_unlinked_email);
    q.with(meeting.value(), text::ascii_lower(email), limit);
    return read_participants(q);
}

std::vector<attendance::zoom_participant> participant_repository::unlinked_by_customer_key(
    const meeting_id& meeting, std::string_view key, std::size_t limit
) {
    auto q = db_.prepare(select_unlinked_key);
    q.with(meeting.value(), key, limit);
    return read_participants(q);
}

std::vector<attendance::zoom_participant> participant_repository::unlinked_by_name(
    const meeting_id& meeting, const std::vector<std::string>& name_keys, std::size_t limit
) {
    auto q = db_.prepare(select_unlinked_name);
    q.with(meeting.value(), json_list(name_keys), limit);
    return read_participants(q);
}

bool participant_repository::link(
    std::int64_t row, user_id user, const session_id& session, attendance::link_rule rule
) {
    return db_.prepare(link_participant)
               .with(user.value(), session.value(), attendance::to_string(rule), row)
               .run() == 1;
}

void participant_repository::follow_session(
    const meeting_id& meeting, user_id user, const session_id& session
) {
    db_.prepare(follow).with(session.value(), meeting.value(), user.value()).run();
}

std::vector<attendance::session_candidate> participant_repository::unlinked_sessions_by_email(
    const meeting_id& meeting, std::string_view email, std::size_t limit
) {
    auto q = db_.prepare(sessions_by_email);
    q.with(meeting.value(), text::ascii_lower(email), limit);
    return read_candidates(q);
}

std::vector<attendance::session_candidate> participant_repository::unlinked_sessions_by_user(
    const meeting_id& meeting, user_id user, std::size_t limit
) {
    auto q = db_.prepare(sessions_by_user);
    q.with(meeting.value(), user.value(), limit);
    return read_candidates(q);
}

std::vector<attendance::session_candidate> participant_repository::unlinked_sessions_by_name(
    const meeting_id& meeting, std::string_view name_key, std::size_t limit
) {
    auto q = db_.prepare(sessions_by_name);
    q.with(meeting.value(), name_key, limit);
    return read_candidates(q);
}

std::optional<session_id> participant_repository::active_session_of(
    const meeting_id& meeting, user_id user
) {
    auto q = db_.prepare(select_active_session);
    q.with(meeting.value(), user.value());
    if (!q.step())
        return std::nullopt;
    return session_id{q.text(0)};
}

void roster_repository::replace(
    const meeting_id& meeting, const std::vector<student_id>& students
) {
    db_.prepare(delete_roster).with(meeting.value()).run();
    for (const auto& s : students)
        db_.prepare(insert_roster).with(meeting.value(), s.value()).run();
}

std::vector<student_id> roster_repository::of(const meeting_id& meeting) {
    std::vector<student_id> out;
    auto q = db_.prepare(select_roster);
    q.with(meeting.value());
    while (q.step())
        out.emplace_back(q.int64(0));
    return out;
}

}  // namespace headcount::store::sqlite
