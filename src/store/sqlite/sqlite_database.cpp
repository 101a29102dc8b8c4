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

std::shared_ptr<const attendance::meeting_snapshot> snapshot_cache::find(const std::string& key) {
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
    const auto it = kept_.find(key);
    return it == kept_.end() ? nullptr : it->second;
}

void snapshot_cache::keep(
    const std::string& key, std::shared_ptr<const attendance::meeting_snapshot> snapshot
) {
    if (!enabled_ || version_ < 0)
        return;
    if (kept_.size() >= capacity)
        kept_.clear();
    kept_.insert_or_assign(key, std::move(snapshot));
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

void sqlite_database::run_writer() {
    name_this_thread("hc-sqlite-write");
    std::unique_ptr<connection> db;
    std::unique_ptr<unit> u;
    std::shared_ptr<const wal_file> wal;
    // Jobs run in the open transaction. It is committed when the syncer is idle: while a
    // sync is under way a commit could not be answered any sooner, so the jobs arriving
    // meanwhile share the next commit (fewer WAL frames, fewer commits).
    committed_batch open_batch;

    auto open = [&] {
        db = std::make_unique<connection>(path_, connection::mode::read_write);
        use_wal(*db);
        // NORMAL: COMMIT writes the WAL frames without waiting for the disk; the syncer
        // makes them durable before any of the batch's requests is answered.
        db->exec("PRAGMA synchronous = NORMAL");
        // A checkpoint every 4,000 pages (~16 MiB of WAL) rather than SQLite's 1,000: the
        // pages a burst of writes keeps changing are copied to the database once, not four
        // times (join-leave: ~10% more throughput). 10,000 gave a little more, but a
        // checkpoint that large stalled writes for up to 190 ms.
        db->exec("PRAGMA wal_autocheckpoint = 4000");
        u = std::make_unique<unit>(*db, clock_, false);
        wal.reset();
    };
    // The transaction failed as a whole: none of its jobs happened.
    auto abandon = [&](const std::exception& e) {
        log_.error(
            "write transaction failed", {{"error", e.what()}, {"jobs", open_batch.tasks.size()}}
        );
        if (db != nullptr && sqlite3_get_autocommit(db->handle()) == 0) {
            try {
                db->exec("ROLLBACK");
            } catch (const std::exception&) {
                db.reset();  // reopened for the next job
                u.reset();
            }
        }
        for (auto& t : open_batch.tasks)
            t.done(unavailable());
        open_batch = {};
    };
    auto commit = [&] {
        try {
            db->prepare("COMMIT").run();
            // The file exists once a transaction has been written to it.
            if (!wal)
                wal = std::make_shared<const wal_file>(path_ + "-wal");
        } catch (const std::exception& e) {
            abandon(e);
            return;
        }
        open_batch.wal = wal;
        syncer_.submit(std::exchange(open_batch, {}));
    };
    auto run_job = [&](task t) {
        std::exception_ptr failure;
        try {
            if (!db)
                open();
            if (open_batch.tasks.empty())
                db->prepare("BEGIN IMMEDIATE").run();
            u->begin_job();
            db->prepare("SAVEPOINT job").run();
            try {
                t.work(*u);
                if (u->discarded())
                    db->prepare("ROLLBACK TO job").run();
            } catch (const error& e) {
                log_.error("write job failed in storage", {{"error", e.what()}});
                failure = unavailable();
                db->prepare("ROLLBACK TO job").run();
            } catch (...) {
                failure = std::current_exception();
                db->prepare("ROLLBACK TO job").run();
            }
            db->prepare("RELEASE job").run();
        } catch (const std::exception& e) {
            open_batch.tasks.push_back(std::move(t));
            abandon(e);
            return;
        }
        const bool changed = !failure && !u->discarded();
        open_batch.events.push_back(changed ? u->take_events() : std::vector<domain_event>{});
        open_batch.failures.push_back(failure);
        open_batch.tasks.push_back(std::move(t));
    };

    while (true) {
        auto tasks = writes_.pop_all(max_batch);
        if (tasks.empty()) {
            if (!open_batch.tasks.empty())
                commit();
            return;
        }
        for (auto& t : tasks) {
            if (t.work)  // an empty job is the syncer's "idle now"
                run_job(std::move(t));
            if (open_batch.tasks.size() >= max_batch)
                commit();
        }
        if (open_batch.tasks.empty())
            continue;
        // Announced before looking, so that a syncer going idle now sees it and wakes us.
        batch_waiting_ = true;
        if (syncer_.idle()) {
            batch_waiting_ = false;
            commit();
        }
    }
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
