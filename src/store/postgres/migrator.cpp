#include "store/postgres/migrator.hpp"

#include <set>
#include <string>

namespace headcount::embedded {
std::span<const embedded_file> postgres_migration_files();
}  // namespace headcount::embedded

namespace headcount::store::postgres {
namespace {

/// The advisory lock key every headcount process migrates under ("hcmigrat" as a number).
constexpr const char* lock = "SELECT pg_advisory_xact_lock(7521976102113403252)";
constexpr const char* create_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
    "NULL, applied_at BIGINT NOT NULL)";
constexpr const char* select_versions = "SELECT version FROM schema_migrations";
constexpr const char* record_version =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)";

}  // namespace

std::vector<int> migrate(connection& db, std::span<const migration> migrations) {
    db.exec("BEGIN");
    try {
        db.exec(lock);
        db.exec(create_table);
        std::set<int> applied;
        {
            auto q = db.prepare(select_versions);
            while (q.step())
                applied.insert(static_cast<int>(q.int64(0)));
        }
        std::vector<int> done;
        for (const auto& m : migrations) {
            if (applied.contains(m.version))
                continue;
            db.exec(std::string(m.sql));
            db.prepare(record_version).with(m.version, m.name).run();
            done.push_back(m.version);
        }
        db.exec("COMMIT");
        return done;
    } catch (...) {
        if (db.healthy())
            db.exec("ROLLBACK");
        throw;
    }
}

std::span<const migration> postgres_migrations() {
    static const auto all = migrations_from(embedded::postgres_migration_files());
    return all;
}

}  // namespace headcount::store::postgres
