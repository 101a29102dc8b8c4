#include "store/sqlite/sqlite_database.hpp"

#include <chrono>
#include <thread>

#include <sqlite3.h>

#include "common/thread_name.hpp"
#include "store/migration.hpp"
#include "store/sqlite/migrator.hpp"
#include "store/sqlite/unit.hpp"

namespace headcount::store::sqlite {
namespace {

constexpr std::size_t max_batch = 64;

std::exception_ptr unavailable() {
    return std::make_exception_ptr(api_exception({errc::unavailable, "Storage unavailable", {}}));
}

void use_wal(connection& db) {
    // Turning a new database to WAL takes an exclusive lock that SQLite tries once, without
    // the busy timeout: when several processes open a new database at once (instances
    // starting, `headcount migrate` run in parallel), the others try again for a while.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        try {
            db.exec("PRAGMA journal_mode = WAL");
            return;
        } catch (const error& e) {
            if (!e.is_busy() || std::chrono::steady_clock::now() > deadline)
                throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

std::shared_ptr<const attendance::meeting_snapshot> snapshot_cache::find(const meeting_id& meeting
) {
    if (!enabled_)
        return nullptr;
    // Read before the snapshot's own queries, so a kept snapshot is never older than the
    // version it is kept under.
    auto q = db_.prepare("PRAGMA data_version");
    const auto version = q.step() ? q.int64(0) : -1;
    if (version != version_) {
        kept_.clear();
        version_ = version;
        return nullptr;
    }
    const auto it = kept_.find(meeting);
    return it == kept_.end() ? nullptr : it->second;
}

void snapshot_cache::keep(std::shared_ptr<const attendance::meeting_snapshot> snapshot) {
    if (!enabled_ || version_ < 0)
        return;
    if (kept_.size() >= capacity)
        kept_.clear();
    kept_.insert_or_assign(snapshot->details.id, std::move(snapshot));
}

std::vector<int> sqlite_database::migrate_file(const std::string& path) {
    connection db(path, connection::mode::read_write);
    use_wal(db);
    // A migration is answered by the command's exit: its commit waits for the disk.
    db.exec("PRAGMA synchronous = FULL");
    return sqlite::migrate(db, sqlite_migrations());
}

sqlite_database::sqlite_database(
    std::string path, unsigned readers, const clock& clk, event_sink& publish_to
)
    : path_(std::move(path)), clock_(clk), syncer_(publish_to, [this] {
          if (batch_waiting_.exchange(false))
              writes_.push(task{});
      }) {
    applied_ = migrate_file(path_);
    threads_.emplace_back([this] { run_writer(); });
    for (unsigned i = 0; i < std::max(1U, readers); ++i)
        threads_.emplace_back([this] { run_reader(); });
}

sqlite_database::~sqlite_database() {
    stop();
}

void sqlite_database::read(job work, completion done) {
    task t{std::move(work), std::move(done), false};
    auto fallback = t.done;
    if (!reads_.push(std::move(t)))
        fallback(unavailable());
}

void sqlite_database::write(job work, completion done) {
    task t{std::move(work), std::move(done), true};
    auto fallback = t.done;
    if (!writes_.push(std::move(t)))
        fallback(unavailable());
}

void sqlite_database::stop() {
    std::call_once(stopped_, [this] {
        writes_.stop();
        reads_.stop();
        for (auto& t : threads_)
            t.join();
        syncer_.stop();
        log_.info("storage closed", {{"path", path_}});
    });
}

/// The writer thread's state: its connection, the open transaction and the batch of jobs in
/// it. Jobs run in the open transaction. It is committed when the syncer is idle: while a
/// sync is under way a commit could not be answered any sooner, so the jobs arriving
/// meanwhile share the next commit (fewer WAL frames, fewer commits).
class sqlite_database::writer {
public:
    explicit writer(sqlite_database& owner) : owner_(owner) {}

    /// Runs queued jobs until the queue stops, committing as the syncer allows.
    void run() {
        while (true) {
            auto tasks = owner_.writes_.pop_all(max_batch);
            if (tasks.empty()) {
                if (!batch_.tasks.empty())
                    commit();
                return;
            }
            for (auto& t : tasks) {
                if (t.work)  // an empty job is the syncer's "idle now"
                    run_job(std::move(t));
                if (batch_.tasks.size() >= max_batch)
                    commit();
            }
            if (!batch_.tasks.empty())
                commit_when_syncer_idle();
        }
    }

private:
    void open() {
        db_ = std::make_unique<connection>(owner_.path_, connection::mode::read_write);
        use_wal(*db_);
        // NORMAL: COMMIT writes the WAL frames without waiting for the disk; the syncer
        // makes them durable before any of the batch's requests is answered.
        db_->exec("PRAGMA synchronous = NORMAL");
        // A checkpoint every 4,000 pages (~16 MiB of WAL) rather than SQLite's 1,000: the
        // pages a burst of writes keeps changing are copied to the database once, not four
        // times. A checkpoint much larger stalls writes for too long.
        db_->exec("PRAGMA wal_autocheckpoint = 4000");
        unit_ = std::make_unique<unit>(*db_, owner_.clock_, false);
        wal_.reset();
    }

    /// The transaction failed as a whole: none of its jobs happened.
    void abandon(const std::exception& e) {
        owner_.log_.error(
            "write transaction failed", {{"error", e.what()}, {"jobs", batch_.tasks.size()}}
        );
        if (db_ != nullptr && sqlite3_get_autocommit(db_->handle()) == 0) {
            try {
                db_->exec("ROLLBACK");
            } catch (const std::exception&) {
                db_.reset();  // reopened for the next job
                unit_.reset();
            }
        }
        for (auto& t : batch_.tasks)
            t.done(unavailable());
        batch_ = {};
    }

    void commit() {
        try {
            db_->prepare("COMMIT").run();
            // The file exists once a transaction has been written to it.
            if (!wal_)
                wal_ = std::make_shared<const wal_file>(owner_.path_ + "-wal");
        } catch (const std::exception& e) {
            abandon(e);
            return;
        }
        batch_.wal = wal_;
        owner_.syncer_.submit(std::exchange(batch_, {}));
    }

    void commit_when_syncer_idle() {
        // Announced before looking, so that a syncer going idle now sees it and wakes us.
        owner_.batch_waiting_ = true;
        if (owner_.syncer_.idle()) {
            owner_.batch_waiting_ = false;
            commit();
        }
    }

    /// Runs one job in its own savepoint of the open transaction; what it threw is its
    /// failure, and its events wait for the commit.
    void run_job(task t) {
        std::exception_ptr failure;
        try {
            if (!db_)
                open();
            if (batch_.tasks.empty())
                db_->prepare("BEGIN IMMEDIATE").run();
            unit_->begin_job();
            db_->prepare("SAVEPOINT job").run();
            failure = run_in_savepoint(t);
            db_->prepare("RELEASE job").run();
        } catch (const std::exception& e) {
            batch_.tasks.push_back(std::move(t));
            abandon(e);
            return;
        }
        const bool changed = !failure && !unit_->discarded();
        batch_.events.push_back(changed ? unit_->take_events() : std::vector<domain_event>{});
        batch_.failures.push_back(failure);
        batch_.tasks.push_back(std::move(t));
    }

    std::exception_ptr run_in_savepoint(task& t) {
        std::exception_ptr failure;
        try {
            t.work(*unit_);
            if (!unit_->discarded())
                return nullptr;
        } catch (const error& e) {
            owner_.log_.error("write job failed in storage", {{"error", e.what()}});
            failure = unavailable();
        } catch (...) {
            failure = std::current_exception();
        }
        db_->prepare("ROLLBACK TO job").run();
        return failure;
    }

    sqlite_database& owner_;
    std::unique_ptr<connection> db_;
    std::unique_ptr<unit> unit_;
    std::shared_ptr<const wal_file> wal_;
    committed_batch batch_;
};

void sqlite_database::run_writer() {
    name_this_thread("hc-sqlite-write");
    writer(*this).run();
}

void sqlite_database::run_reader() {
    name_this_thread("hc-sqlite-read");
    std::unique_ptr<connection> db;
    std::unique_ptr<unit> u;
    while (true) {
        auto batch = reads_.pop_all(1);
        if (batch.empty())
            return;
        auto& t = batch.front();
        std::exception_ptr failure;
        try {
            if (!db) {
                db = std::make_unique<connection>(path_, connection::mode::read_only);
                u = std::make_unique<unit>(*db, clock_, true);
            }
            u->begin_job();
            db->prepare("BEGIN").run();
            try {
                t.work(*u);
            } catch (const error& e) {
                log_.error("read job failed in storage", {{"error", e.what()}});
                failure = unavailable();
            } catch (...) {
                failure = std::current_exception();
            }
            db->prepare("COMMIT").run();
        } catch (const std::exception& e) {
            log_.error("read transaction failed", {{"error", e.what()}});
            failure = unavailable();
            db.reset();
            u.reset();
        }
        t.done(failure);
    }
}

}  // namespace headcount::store::sqlite
