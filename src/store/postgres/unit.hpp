#pragma once

#include <vector>

#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/postgres/dialect.hpp"
#include "store/sql/meeting_repository.hpp"
#include "store/sql/participant_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "store/sql/student_repository.hpp"
#include "store/sql/user_repository.hpp"

namespace headcount::store::postgres {

/// Keeps no snapshots: PostgreSQL offers no cheap per-connection signal that another
/// instance committed (SQLite's `data_version`), and a counter row bumped by every write
/// would serialise all writers on it. Every snapshot is read afresh.
class snapshot_cache final : public attendance::snapshot_cache {
public:
    std::shared_ptr<const attendance::meeting_snapshot> find(const meeting_id&) override {
        return nullptr;
    }
    void keep(std::shared_ptr<const attendance::meeting_snapshot>) override {}
};

/// The repositories of one connection, handed to one job at a time.
class unit final : public store::unit {
public:
    unit(connection& db, const clock& clk)
        : db_(db),
          users_(db, clk),
          students_(db, clk),
          sessions_(db),
          meetings_(db),
          participants_(db),
          roster_(db),
          session_store_{users_, students_, sessions_, meetings_},
          attendance_store_{session_store_, meetings_, participants_, roster_, snapshots_} {}

    sessions::session_store& sessions() override { return session_store_; }
    attendance::attendance_store& attendance() override { return attendance_store_; }
    event_sink& outbox() override { return outbox_; }
    void discard() override { discarded_ = true; }
    bool probe() override;

    /// Prepares the unit for the next job (or the next attempt of one).
    void begin_job() {
        discarded_ = false;
        outbox_.clear();
    }
    bool discarded() const { return discarded_; }
    std::vector<domain_event> take_events() { return outbox_.take(); }

private:
    connection& db_;
    sql::user_repository<dialect> users_;
    sql::student_repository<dialect> students_;
    sql::session_repository<dialect> sessions_;
    sql::meeting_repository<dialect> meetings_;
    sql::participant_repository<dialect> participants_;
    sql::roster_repository<dialect> roster_;
    postgres::snapshot_cache snapshots_;
    sessions::session_store session_store_;
    attendance::attendance_store attendance_store_;
    store::outbox outbox_;
    bool discarded_ = false;
};

}  // namespace headcount::store::postgres
