#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/logging.hpp"
#include "store/database.hpp"
#include "store/job_queue.hpp"
#include "store/sqlite/wal_syncer.hpp"

namespace headcount::store::sqlite {

/// The embedded store: one SQLite file in WAL mode.
///
/// Writes go to a single writer thread that groups whatever jobs are queued into one
/// transaction (each job inside its own SAVEPOINT, so a failing job leaves the others
/// intact). A commit is made durable by `wal_syncer` before any of its completions runs,
/// while the writer already runs the next jobs, committing them when the syncer is free:
/// concurrent requests share one commit and one fsync, and the writer never waits for the
/// disk. Reads run on a pool of read-only connections, each in its own snapshot.
class sqlite_database final : public database {
public:
    /// Opens (creating if needed) and migrates the file at `path`.
    sqlite_database(std::string path, unsigned readers, const clock& clk, event_sink& publish_to);
    ~sqlite_database() override;

    void read(job work, completion done) override;
    void write(job work, completion done) override;
    void stop() override;
    std::string kind() const override { return "sqlite"; }

    /// The versions `migrate` applied when this database was opened.
    const std::vector<int>& applied_migrations() const { return applied_; }

    /// Migrates the file at `path` and returns the versions applied (the `migrate` command).
    static std::vector<int> migrate_file(const std::string& path);

private:
    class writer;

    void run_writer();
    void run_reader();

    std::string path_;
    const clock& clock_;
    log::logger log_{"store"};
    std::vector<int> applied_;
    job_queue writes_;
    job_queue reads_;
    std::vector<std::thread> threads_;
    /// The writer holds uncommitted jobs until the syncer is idle.
    std::atomic<bool> batch_waiting_{false};
    wal_syncer syncer_;
    std::once_flag stopped_;
};

}  // namespace headcount::store::sqlite
