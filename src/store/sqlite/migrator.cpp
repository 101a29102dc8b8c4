#include "store/sqlite/migrator.hpp"

#include <set>
#include <string>

namespace headcount::embedded {
std::span<const embedded_file> sqlite_migration_files();
}  // namespace headcount::embedded

namespace headcount::store::sqlite {
namespace {

constexpr const char* create_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
    "NULL, "
    "applied_at INTEGER NOT NULL)";
constexpr const char* select_versions = "SELECT version FROM schema_migrations";
constexpr const char* record_version =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))";

}  // namespace

std::vector<int> migrate(connection& db, std::span<const migration> migrations) {
    db.exec("BEGIN IMMEDIATE");
    try {
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
            db.exec(std::string(m.sql).c_str());
            db.prepare(record_version).with(m.version, m.name).run();
            done.push_back(m.version);
        }
        db.exec("COMMIT");
        return done;
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

std::span<const migration> sqlite_migrations() {
    static const auto all = migrations_from(embedded::sqlite_migration_files());
    return all;
}

}  // namespace headcount::store::sqlite
