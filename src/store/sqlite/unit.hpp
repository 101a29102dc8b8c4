#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "store/sql/unit.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

/// Occurrence snapshots of a read-only connection, valid while `PRAGMA data_version` (which
/// moves when any other connection or process commits) stays as it was when the snapshot
/// was taken. At most a few meetings are kept.
class snapshot_cache final : public attendance::snapshot_cache {
public:
    snapshot_cache(connection& db, bool enabled) : db_(db), enabled_(enabled) {}

    std::shared_ptr<const attendance::meeting_snapshot> find(const std::string& key) override;
    void keep(const std::string& key, std::shared_ptr<const attendance::meeting_snapshot> snapshot)
        override;

private:
    static constexpr std::size_t capacity = 4;

    connection& db_;
    bool enabled_;
    std::int64_t version_ = -1;
    std::unordered_map<std::string, std::shared_ptr<const attendance::meeting_snapshot>> kept_;
};

/// `unit(db, clock, cache_snapshots)`: `cache_snapshots` only on read-only connections, since
/// the writer's own commits do not move its data_version.
using unit = sql::unit<dialect, snapshot_cache>;

}  // namespace headcount::store::sqlite
