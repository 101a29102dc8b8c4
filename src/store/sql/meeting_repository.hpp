#pragma once

#include <optional>
#include <string>
#include <vector>

#include "attendance/repositories.hpp"
#include "sessions/repositories.hpp"
#include "store/sql/dialect.hpp"
#include "store/sql/values.hpp"

namespace headcount::store::sql {

/// The `meetings` table, as both domains see it.
template <dialect D>
class meeting_repository final : public sessions::meeting_registry,
                                 public attendance::meeting_repository {
public:
    explicit meeting_repository(typename D::connection& db) : db_(db) {}

    void note_seen(const meeting_id& meeting, timestamp at) override;
    std::optional<attendance::meeting> find(const meeting_id& id) override;
    void record_details(
        const meeting_id& id,
        const std::optional<std::string>& uuid,
        const std::optional<std::string>& topic,
        const std::optional<std::string>& host_id,
        timestamp now
    ) override;
    void save_schedule(const attendance::meeting& m) override;
    std::vector<attendance::meeting_summary> list() override;

private:
    typename D::connection& db_;
};

namespace detail {

template <class Query>
attendance::meeting read_meeting(const Query& q) {
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

}  // namespace detail

template <dialect D>
void meeting_repository<D>::note_seen(const meeting_id& meeting, timestamp at) {
    db_.prepare(D::meetings.upsert_seen).with(meeting.value(), to_epoch_ms(at)).run();
}

template <dialect D>
std::optional<attendance::meeting> meeting_repository<D>::find(const meeting_id& id) {
    auto q = db_.prepare(D::meetings.select_one);
    q.with(id.value());
    if (!q.step())
        return std::nullopt;
    return detail::read_meeting(q);
}

template <dialect D>
void meeting_repository<D>::record_details(
    const meeting_id& id,
    const std::optional<std::string>& uuid,
    const std::optional<std::string>& topic,
    const std::optional<std::string>& host_id,
    timestamp now
) {
    db_.prepare(D::meetings.upsert_details)
        .with(id.value(), uuid, topic, host_id, to_epoch_ms(now))
        .run();
}

template <dialect D>
void meeting_repository<D>::save_schedule(const attendance::meeting& m) {
    db_.prepare(D::meetings.update_schedule)
        .with(
            m.id.value(), detail::epoch(m.start_time), detail::epoch(m.end_time),
            attendance::to_string(m.status)
        )
        .run();
}

template <dialect D>
std::vector<attendance::meeting_summary> meeting_repository<D>::list() {
    std::vector<attendance::meeting_summary> out;
    auto q = db_.prepare(D::meetings.select_list);
    while (q.step()) {
        attendance::meeting_summary s;
        s.details = detail::read_meeting(q);
        s.participant_count = q.int64(8) + q.int64(10);
        s.active_participant_count = q.int64(9) + q.int64(11);
        s.active_session_count = q.int64(12);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace headcount::store::sql
