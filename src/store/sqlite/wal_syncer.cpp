#include "store/sqlite/wal_syncer.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "common/errors.hpp"
#include "common/thread_name.hpp"
#include "store/sqlite/connection.hpp"

namespace headcount::store::sqlite {

wal_file::wal_file(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0)
        throw error(SQLITE_CANTOPEN, "cannot open " + path + ": " + std::strerror(errno));
}

wal_file::~wal_file() {
    ::close(fd_);
}

void wal_file::sync() const {
    if (::fdatasync(fd_) != 0)
        throw error(
            SQLITE_IOERR_FSYNC, std::string("fdatasync of the WAL failed: ") + std::strerror(errno)
        );
}

wal_syncer::wal_syncer(event_sink& publish_to, std::function<void()> on_idle)
    : publish_to_(publish_to), on_idle_(std::move(on_idle)), thread_([this] { run(); }) {}

wal_syncer::~wal_syncer() {
    stop();
}

void wal_syncer::submit(committed_batch batch) {
    {
        const std::scoped_lock lock(mutex_);
        pending_.push_back(std::move(batch));
        idle_ = false;
    }
    ready_.notify_one();
}

void wal_syncer::stop() {
    {
        const std::scoped_lock lock(mutex_);
        if (stopped_)
            return;
        stopped_ = true;
    }
    ready_.notify_one();
    thread_.join();
}

void wal_syncer::run() {
    name_this_thread("hc-wal-sync");
    while (true) {
        std::deque<committed_batch> batches;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return stopped_ || !pending_.empty(); });
            if (pending_.empty())
                return;
            batches.swap(pending_);
        }
        // Every batch here was committed before this sync starts, so one sync per file
        // covers them all (the writer only reopens its file after an error).
        std::exception_ptr sync_failure;
        const wal_file* synced = nullptr;
        for (const auto& b : batches) {
            if (b.wal.get() == synced || sync_failure)
                continue;
            try {
                b.wal->sync();
                synced = b.wal.get();
            } catch (const error& e) {
                log_.error("commit could not be made durable", {{"error", e.what()}});
                sync_failure = std::make_exception_ptr(
                    api_exception({errc::unavailable, "Storage unavailable", {}})
                );
            }
        }
        for (auto& b : batches)
            finish(b, sync_failure);
        bool now_idle = false;
        {
            const std::scoped_lock lock(mutex_);
            now_idle = pending_.empty();
            idle_ = now_idle;
        }
        if (now_idle)
            on_idle_();
    }
}

void wal_syncer::finish(committed_batch& batch, const std::exception_ptr& sync_failure) {
    for (std::size_t i = 0; i < batch.tasks.size(); ++i) {
        if (sync_failure) {
            batch.tasks[i].done(sync_failure);
            continue;
        }
        for (auto& e : batch.events[i])
            publish_to_.publish(std::move(e));
        batch.tasks[i].done(batch.failures[i]);
    }
}

}  // namespace headcount::store::sqlite
