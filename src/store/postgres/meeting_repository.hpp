#pragma once

#include "attendance/repositories.hpp"
#include "sessions/repositories.hpp"
#include "store/postgres/connection.hpp"

namespace headcount::store::postgres {

/// The `meetings` table, as both domains see it.
class meeting_repository final : public sessions::meeting_registry,
                                 public attendance::meeting_repository {
public:
    explicit meeting_repository(connection& db) : db_(db) {}

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
    connection& db_;
};

}  // namespace headcount::store::postgres
