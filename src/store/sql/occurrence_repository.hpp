#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "attendance/repositories.hpp"
#include "store/sql/dialect.hpp"
#include "store/sql/values.hpp"

namespace headcount::store::sql {

/// The occurrences of meetings (`meeting_occurrences`).
template <dialect D>
class occurrence_repository final : public attendance::occurrence_repository {
public:
    explicit occurrence_repository(typename D::connection& db) : db_(db) {}

    std::optional<attendance::occurrence> find(const meeting_id& meeting, occurrence_id id)
        override;
    std::optional<attendance::occurrence> find_by_uuid(
        const meeting_id& meeting, std::string_view uuid
    ) override;
    std::optional<attendance::occurrence> live_at(
        const meeting_id& meeting, timestamp at, std::chrono::milliseconds ahead
    ) override;
    std::optional<attendance::occurrence> current(const meeting_id& meeting) override;
    std::optional<attendance::occurrence> latest(const meeting_id& meeting) override;
    occurrence_id insert(const attendance::occurrence& o) override;
    void save(const attendance::occurrence& o) override;
    void adopt_sessions(const attendance::occurrence& to, timestamp since, timestamp until)
        override;
    std::vector<attendance::occurrence_summary> list(const meeting_id& meeting) override;
    std::vector<attendance::occurrence> between(
        const meeting_id& meeting, timestamp from, timestamp to
    ) override;

private:
    /// The first row of a query bound already, if any.
    template <class Query>
    static std::optional<attendance::occurrence> first(Query& q);

    typename D::connection& db_;
};

namespace detail {

/// HEADCOUNT_OCCURRENCE_COLUMNS from `first`.
template <class Query>
attendance::occurrence read_occurrence(const Query& q, int first = 0) {
    attendance::occurrence o;
    o.id = occurrence_id{q.int64(first)};
    o.meeting = meeting_id{q.text(first + 1)};
    o.uuid = q.optional_text(first + 2);
    if (const auto t = q.optional_int64(first + 3))
        o.start_time = from_epoch_ms(*t);
    if (const auto t = q.optional_int64(first + 4))
        o.end_time = from_epoch_ms(*t);
    o.status = attendance::parse_meeting_status(q.text_view(first + 5))
                   .value_or(attendance::meeting_status::scheduled);
    o.first_seen = from_epoch_ms(q.int64(first + 6));
    return o;
}

/// The occurrence columns from `first`, then its five counts (the statements' counts of an
/// occurrence: Zoom participants, those active, users with sessions no participant is
/// linked to, those active, active sessions).
template <class Query>
attendance::occurrence_summary read_occurrence_summary(const Query& q, int first) {
    attendance::occurrence_summary s;
    s.details = read_occurrence(q, first);
    const int counts = first + 7;
    s.participant_count = q.int64(counts) + q.int64(counts + 2);
    s.active_participant_count = q.int64(counts + 1) + q.int64(counts + 3);
    s.active_session_count = q.int64(counts + 4);
    return s;
}

}  // namespace detail

template <dialect D>
template <class Query>
std::optional<attendance::occurrence> occurrence_repository<D>::first(Query& q) {
    if (!q.step())
        return std::nullopt;
    return detail::read_occurrence(q);
}

template <dialect D>
std::optional<attendance::occurrence> occurrence_repository<D>::find(
    const meeting_id& meeting, occurrence_id id
) {
    auto q = db_.prepare(D::occurrences.select_one);
    q.with(meeting.value(), id.value());
    return first(q);
}

template <dialect D>
std::optional<attendance::occurrence> occurrence_repository<D>::find_by_uuid(
    const meeting_id& meeting, std::string_view uuid
) {
    auto q = db_.prepare(D::occurrences.select_by_uuid);
    q.with(meeting.value(), uuid);
    return first(q);
}

template <dialect D>
std::optional<attendance::occurrence> occurrence_repository<D>::live_at(
    const meeting_id& meeting, timestamp at, std::chrono::milliseconds ahead
) {
    auto q = db_.prepare(D::occurrences.select_live_at);
    q.with(meeting.value(), to_epoch_ms(at), to_epoch_ms(at + ahead));
    return first(q);
}

template <dialect D>
std::optional<attendance::occurrence> occurrence_repository<D>::current(const meeting_id& meeting) {
    auto q = db_.prepare(D::occurrences.select_current);
    q.with(meeting.value());
    std::optional<attendance::occurrence> pending;
    while (q.step()) {
        auto o = detail::read_occurrence(q);
        if (o.status == attendance::meeting_status::live)
            return o;
        if (!pending)
            pending = std::move(o);
    }
    return pending;
}

template <dialect D>
std::optional<attendance::occurrence> occurrence_repository<D>::latest(const meeting_id& meeting) {
    auto q = db_.prepare(D::occurrences.select_latest);
    q.with(meeting.value());
    return first(q);
}

template <dialect D>
occurrence_id occurrence_repository<D>::insert(const attendance::occurrence& o) {
    auto q = db_.prepare(D::occurrences.insert_occurrence);
    q.with(
        o.meeting.value(), o.uuid, detail::epoch(o.start_time), detail::epoch(o.end_time),
        attendance::to_string(o.status), to_epoch_ms(o.first_seen)
    );
    return occurrence_id{D::inserted_id(db_, q)};
}

template <dialect D>
void occurrence_repository<D>::save(const attendance::occurrence& o) {
    db_.prepare(D::occurrences.update_occurrence)
        .with(
            o.id.value(), o.uuid, detail::epoch(o.start_time), detail::epoch(o.end_time),
            attendance::to_string(o.status)
        )
        .run();
}

template <dialect D>
void occurrence_repository<D>::adopt_sessions(
    const attendance::occurrence& to, timestamp since, timestamp until
) {
    db_.prepare(D::occurrences.adopt_sessions)
        .with(
            to.meeting.value(), to.id.value(), to_epoch_ms(since),
            to_epoch_ms(to.start_time.value_or(since)), to_epoch_ms(until)
        )
        .run();
    db_.prepare(D::occurrences.delete_empty_pending).with(to.meeting.value(), to.id.value()).run();
}

template <dialect D>
std::vector<attendance::occurrence_summary> occurrence_repository<D>::list(const meeting_id& meeting
) {
    std::vector<attendance::occurrence_summary> out;
    auto q = db_.prepare(D::occurrences.select_list);
    q.with(meeting.value());
    while (q.step())
        out.push_back(detail::read_occurrence_summary(q, 0));
    return out;
}

template <dialect D>
std::vector<attendance::occurrence> occurrence_repository<D>::between(
    const meeting_id& meeting, timestamp from, timestamp to
) {
    std::vector<attendance::occurrence> out;
    auto q = db_.prepare(D::occurrences.select_between);
    q.with(meeting.value(), to_epoch_ms(from), to_epoch_ms(to));
    while (q.step())
        out.push_back(detail::read_occurrence(q));
    return out;
}

}  // namespace headcount::store::sql
