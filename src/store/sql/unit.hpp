#pragma once

#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/sql/dialect.hpp"
#include "store/sql/meeting_repository.hpp"
#include "store/sql/occurrence_repository.hpp"
#include "store/sql/participant_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "store/sql/student_repository.hpp"
#include "store/sql/user_repository.hpp"

namespace headcount::store::sql {

/// The repositories of one connection, handed to one job (or one attempt of it) at a time.
/// `Snapshots` is the backend's attendance::snapshot_cache.
template <dialect D, class Snapshots>
class unit final : public store::unit {
public:
    /// The snapshot cache is built from the connection and `snapshot_args`.
    template <class... SnapshotArgs>
    unit(typename D::connection& db, const clock& clk, SnapshotArgs&&... snapshot_args)
        : db_(db),
          users_(db, clk),
          students_(db, clk),
          sessions_(db),
          meetings_(db),
          occurrences_(db),
          participants_(db),
          roster_(db),
          snapshots_(db, std::forward<SnapshotArgs>(snapshot_args)...),
          session_store_{users_, students_, sessions_, meetings_},
          attendance_store_{session_store_, meetings_, occurrences_,
                            participants_,  roster_,   snapshots_} {}

    sessions::session_store& sessions() override { return session_store_; }
    attendance::attendance_store& attendance() override { return attendance_store_; }
    event_sink& outbox() override { return outbox_; }
    void discard() override { discarded_ = true; }
    bool probe() override {
        auto q = db_.prepare("SELECT 1");
        return q.step() && q.int64(0) == 1;
    }

    /// Prepares the unit for the next job (or the next attempt of one).
    void begin_job() {
        discarded_ = false;
        outbox_.clear();
    }
    bool discarded() const { return discarded_; }
    std::vector<domain_event> take_events() { return outbox_.take(); }

private:
    typename D::connection& db_;
    user_repository<D> users_;
    student_repository<D> students_;
    session_repository<D> sessions_;
    meeting_repository<D> meetings_;
    occurrence_repository<D> occurrences_;
    participant_repository<D> participants_;
    roster_repository<D> roster_;
    Snapshots snapshots_;
    sessions::session_store session_store_;
    attendance::attendance_store attendance_store_;
    store::outbox outbox_;
    bool discarded_ = false;
};

}  // namespace headcount::store::sql
