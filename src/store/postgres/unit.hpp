#pragma once

#include <memory>

#include "store/postgres/dialect.hpp"
#include "store/sql/unit.hpp"

namespace headcount::store::postgres {

/// Keeps no snapshots: PostgreSQL offers no cheap per-connection signal that another
/// instance committed (SQLite's `data_version`), and a counter row bumped by every write
/// would serialise all writers on it. Every snapshot is read afresh.
class snapshot_cache final : public attendance::snapshot_cache {
public:
    /// Built from the connection as SQLite's is, so that sql::unit builds both alike.
    explicit snapshot_cache(connection&) {}

    std::shared_ptr<const attendance::meeting_snapshot> find(const std::string&) override {
        return nullptr;
    }
    void keep(const std::string&, std::shared_ptr<const attendance::meeting_snapshot>) override {}
};

using unit = sql::unit<dialect, snapshot_cache>;

}  // namespace headcount::store::postgres
