#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/domain_event.hpp"
#include "common/logging.hpp"
#include "store/job_queue.hpp"

namespace headcount::store::sqlite {

/// The writer connection's `-wal` file, opened a second time so that another thread can
/// fdatasync it (a sync flushes the file, whichever descriptor asks).
class wal_file {
public:
    explicit wal_file(const std::string& path);
    ~wal_file();
    wal_file(const wal_file&) = delete;
    wal_file& operator=(const wal_file&) = delete;

    /// Throws `sqlite::error` when the data could not be made durable.
    void sync() const;

private:
    int fd_;
};

/// A committed group of write jobs whose requests are waiting for the commit to be durable.
struct committed_batch {
    std::shared_ptr<const wal_file> wal;
    std::vector<task> tasks;
    std::vector<std::exception_ptr> failures;
    std::vector<std::vector<domain_event>> events;
};

/// Answers committed batches once their WAL frames are on disk. The writer commits without
/// waiting for the disk (`synchronous=NORMAL`) and goes on with the next batch while this
/// thread syncs: one fdatasync covers every batch committed before it started, and no
/// request is answered, nor its events published, before its commit is durable.
class wal_syncer {
public:
    /// `on_idle` runs on the syncer's thread each time it runs out of work.
    wal_syncer(event_sink& publish_to, std::function<void()> on_idle);
    ~wal_syncer();
    wal_syncer(const wal_syncer&) = delete;
    wal_syncer& operator=(const wal_syncer&) = delete;

    void submit(committed_batch batch);
    /// Nothing submitted is waiting or being synced.
    bool idle() const { return idle_; }
    /// Answers what was submitted, then ends the thread. Submit nothing afterwards.
    void stop();

private:
    void run();
    void finish(committed_batch& batch, const std::exception_ptr& sync_failure);

    event_sink& publish_to_;
    std::function<void()> on_idle_;
    std::atomic<bool> idle_{true};
    log::logger log_{"store"};
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<committed_batch> pending_;
    bool stopped_ = false;
    std::thread thread_;
};

}  // namespace headcount::store::sqlite
