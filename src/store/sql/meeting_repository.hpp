#pragma once

#include <optional>
#include <string>
#include <vector>

#include "attendance/repositories.hpp"
#include "sessions/repositories.hpp"
#include "store/sql/dialect.hpp"
#include "store/sql/occurrence_repository.hpp"
#include "store/sql/values.hpp"

namespace headcount::store::sql {

/// The `meetings` table (series), as both domains see it.
template <dialect D>
class meeting_repository final : public sessions::meeting_registry,
                                 public attendance::meeting_repository {
public:
    explicit meeting_repository(typename D::connection& db) : db_(db) {}

    void note_seen(const meeting_id& meeting, timestamp at) override;
    std::optional<attendance::meeting> find(const meeting_id& id) override;
    void record_details(
        const meeting_id& id,
        const std::optional<std::string>& topic,
        const std::optional<std::string>& host_id,
        timestamp now
    ) override;
    std::vector<attendance::meeting_summary> list() override;

private:
    typename D::connection& db_;
};

namespace detail {

/// HEADCOUNT_MEETING_COLUMNS from `first`.
template <class Query>
attendance::meeting read_meeting(const Query& q, int first = 0) {
    attendance::meeting m;
    m.id = meeting_id{q.text(first)};
    m.topic = q.optional_text(first + 1);
    m.host_id = q.optional_text(first + 2);
    m.first_seen = from_epoch_ms(q.int64(first + 3));
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
    const std::optional<std::string>& topic,
    const std::optional<std::string>& host_id,
    timestamp now
) {
    db_.prepare(D::meetings.upsert_details)
        .with(id.value(), topic, host_id, to_epoch_ms(now))
        .run();
}

template <dialect D>
std::vector<attendance::meeting_summary> meeting_repository<D>::list() {
    std::vector<attendance::meeting_summary> out;
    auto q = db_.prepare(D::meetings.select_list);
    while (q.step()) {
        attendance::meeting_summary s;
        s.details = detail::read_meeting(q);
        if (!q.is_null(4))
            s.latest = detail::read_occurrence_summary(q, 4);
        s.occurrence_count = q.int64(16);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace headcount::store::sql
