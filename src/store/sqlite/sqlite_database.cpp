#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include "store/migration.hpp"
#include "store/sqlite/migrator.hpp"
#include "store/sqlite/unit.hpp"

namespace headcount::store::sqlite {
namespace {

constexpr std::size_t max_batch = 256;

std::exception_ptr unavailable() {
    return std::make_exception_ptr(api_exception({errc::unavailable, "Storage unavailable", {}}));
}

void configure_writer(connection& db) {
    db.exec("PRAGMA journal_mode = WAL");
    // FULL: a commit's WAL frames are fsynced before COMMIT returns, so an acknowledged
    // write survives a power cut, not only a crash of the process.
    db.exec("PRAGMA synchronous = FULL");
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

bool unit::probe() {
    auto q = db_.prepare("SELECT 1");
    return q.step() && q.int64(0) == 1;
}

std::vector<int> sqlite_database::migrate_file(const std::string& path) {
    connection db(path, connection::mode::read_write);
    configure_writer(db);
    return sqlite::migrate(db, sqlite_migrations());
}

sqlite_database::sqlite_database(
    std::string path, unsigned readers, const clock& clk, event_sink& publish_to
)
    : path_(std::move(path)), clock_(clk), publish_to_(publish_to) {
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
        log_.info("storage closed", {{"path", path_}});
    });
}

void sqlite_database::run_writer() {
    std::unique_ptr<connection> db;
    std::unique_ptr<unit> u;
    auto open = [&] {
        db = std::make_unique<connection>(path_, connection::mode::read_write);
        configure_writer(*db);
        u = std::make_unique<unit>(*db, clock_, false);
    };
    while (true) {
        auto batch = writes_.pop_all(max_batch);
        if (batch.empty())
            return;
        std::vector<std::exception_ptr> failures(batch.size());
        std::vector<std::vector<domain_event>> events(batch.size());
        bool committed = false;
        try {
            if (!db)
                open();
            db->exec("BEGIN IMMEDIATE");
            for (std::size_t i = 0; i < batch.size(); ++i) {
                u->begin_job();
                db->exec("SAVEPOINT job");
                try {
                    batch[i].work(*u);
                    if (u->discarded())
                        db->exec("ROLLBACK TO job");
                } catch (const error& e) {
                    log_.error("write job failed in storage", {{"error", e.what()}});
                    failures[i] = unavailable();
                    db->exec("ROLLBACK TO job");
                } catch (...) {
                    failures[i] = std::current_exception();
                    db->exec("ROLLBACK TO job");
                }
                db->exec("RELEASE job");
                if (!failures[i] && !u->discarded())
                    events[i] = u->take_events();
            }
            db->exec("COMMIT");
            committed = true;
        } catch (const std::exception& e) {
            log_.error("write transaction failed", {{"error", e.what()}, {"jobs", batch.size()}});
            if (db != nullptr && sqlite3_get_autocommit(db->handle()) == 0) {
                try {
                    db->exec("ROLLBACK");
                } catch (const std::exception&) {
                    db.reset();  // reopened for the next batch
                    u.reset();
                }
            }
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (!committed) {
                batch[i].done(unavailable());
                continue;
            }
            for (auto& e : events[i])
                publish_to_.publish(std::move(e));
            batch[i].done(failures[i]);
        }
    }
}

void sqlite_database::run_reader() {
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
            db->exec("BEGIN");
            try {
                t.work(*u);
            } catch (const error& e) {
                log_.error("read job failed in storage", {{"error", e.what()}});
                failure = unavailable();
            } catch (...) {
                failure = std::current_exception();
            }
            db->exec("COMMIT");
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
