#pragma once

#include <vector>

#include "store/database.hpp"
#include "store/sqlite/meeting_repository.hpp"
#include "store/sqlite/participant_repository.hpp"
#include "store/sqlite/session_repository.hpp"
#include "store/sqlite/student_repository.hpp"
#include "store/sqlite/user_repository.hpp"

namespace headcount::store::sqlite {

/// Events a job raised, held until its transaction commits.
class outbox final : public event_sink {
public:
    void publish(domain_event event) override { events_.push_back(std::move(event)); }
    std::vector<domain_event> take() { return std::exchange(events_, {}); }
    void clear() { events_.clear(); }

private:
    std::vector<domain_event> events_;
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
          attendance_store_{session_store_, meetings_, participants_, roster_} {}

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
    user_repository users_;
    student_repository students_;
    session_repository sessions_;
    meeting_repository meetings_;
    participant_repository participants_;
    roster_repository roster_;
    sessions::session_store session_store_;
    attendance::attendance_store attendance_store_;
    sqlite::outbox outbox_;
    bool discarded_ = false;
};

}  // namespace headcount::store::sqlite
