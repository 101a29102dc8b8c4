#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/logging.hpp"
#include "store/database.hpp"
#include "store/job_queue.hpp"

namespace headcount::store::postgres {

class connection;

/// The scale-out store: a PostgreSQL database shared by every instance.
///
/// A bounded pool: DB_POOL_SIZE storage threads, each owning one connection (opened
/// lazily, reopened after a failure), take jobs from one queue. Each job runs in its own
/// transaction: writes at READ COMMITTED, where constraints and row locks keep the
/// invariants (one active session per user and meeting is a partial unique index; the
/// participant upsert locks its row), reads in a REPEATABLE READ READ ONLY snapshot. A job
/// that hits a unique violation, serialization failure or deadlock is rolled back and run
/// again; its completion runs after COMMIT returned.
class postgres_database final : public database {
public:
    /// Connects to `url` and applies pending migrations; throws when it cannot.
    postgres_database(
        std::string url, unsigned pool_size, const clock& clk, event_sink& publish_to
    );
    ~postgres_database() override;

    void read(job work, completion done) override;
    void write(job work, completion done) override;
    void stop() override;
    std::string kind() const override { return "postgres"; }

    /// The versions `migrate` applied when this database was opened.
    const std::vector<int>& applied_migrations() const { return applied_; }

private:
    /// One storage thread's connection and the repositories on it.
    struct session;

    void run_worker();
    /// Runs one job to its end (retrying it when PostgreSQL asks to) and calls its completion.
    void run(task& t, std::unique_ptr<session>& s);

    std::string url_;
    const clock& clock_;
    event_sink& publish_to_;
    log::logger log_{"store"};
    std::vector<int> applied_;
    job_queue jobs_;
    std::vector<std::thread> threads_;
    std::once_flag stopped_;
};

}  // namespace headcount::store::postgres
