#pragma once

#include <span>
#include <vector>

#include "store/migration.hpp"
#include "store/sqlite/connection.hpp"

namespace headcount::store::sqlite {

/// Applies pending migrations in one IMMEDIATE transaction: a second process migrating at
/// the same moment waits for the write lock, then finds them applied. Safe to run twice.
/// Returns the versions it applied.
std::vector<int> migrate(connection& db, std::span<const migration> migrations);

/// The SQLite migrations embedded in the binary (store/migrations/sqlite/NNN_name.sql).
std::span<const migration> sqlite_migrations();

}  // namespace headcount::store::sqlite
