#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/sql/meeting_repository.hpp"
#include "store/sql/participant_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "store/sql/student_repository.hpp"
#include "store/sql/user_repository.hpp"
#include "store/sqlite/dialect.hpp"

namespace headcount::store::sqlite {

/// Meeting snapshots of a read-only connection, valid while `PRAGMA data_version` (which
/// moves when any other connection or process commits) stays as it was when the snapshot
/// was taken. At most a few meetings are kept.
class snapshot_cache final : public attendance::snapshot_cache {
public:
    snapshot_cache(connection& db, bool enabled) : db_(db), enabled_(enabled) {}

    std::shared_ptr<const attendance::meeting_snapshot> find(const meeting_id& meeting) override;
    void keep(std::shared_ptr<const attendance::meeting_snapshot> snapshot) override;

private:
    static constexpr std::size_t capacity = 4;

    connection& db_;
    bool enabled_;
    std::int64_t version_ = -1;
    std::unordered_map<meeting_id, std::shared_ptr<const attendance::meeting_snapshot>> kept_;
};

/// The repositories of one connection, handed to one job at a time.
class unit final : public store::unit {
public:
    /// `cache_snapshots` only on read-only connections: the writer's own commits do not move
    /// its data_version.
    unit(connection& db, const clock& clk, bool cache_snapshots)
        : db_(db),
          users_(db, clk),
          students_(db, clk),
          sessions_(db),
          meetings_(db),
          participants_(db),
          roster_(db),
          snapshots_(db, cache_snapshots),
          session_store_{users_, students_, sessions_, meetings_},
          attendance_store_{session_store_, meetings_, participants_, roster_, snapshots_} {}

    sessions::session_store& sessions() override { return session_store_; }
    attendance::attendance_store& attendance() override { return attendance_store_; }
    event_sink& outbox() override { return outbox_; }
    void discard() override { discarded_ = true; }
    bool probe() override;

    /// Prepares the unit for the next job.
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
    snapshot_cache snapshots_;
    sessions::session_store session_store_;
    attendance::attendance_store attendance_store_;
    store::outbox outbox_;
    bool discarded_ = false;
};

}  // namespace headcount::store::sqlite
