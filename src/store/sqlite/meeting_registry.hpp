#pragma once

#include "sessions/repositories.hpp"
#include "store/sqlite/connection.hpp"

namespace headcount::store::sqlite {

/// The `meetings` table as the sessions domain sees it.
class meeting_registry final : public sessions::meeting_registry {
public:
    explicit meeting_registry(connection& db) : db_(db) {}
    void note_seen(const meeting_id& meeting, timestamp at) override;

private:
    connection& db_;
};

}  // namespace headcount::store::sqlite
