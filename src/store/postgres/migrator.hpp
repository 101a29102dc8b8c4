#pragma once

#include <span>
#include <vector>

#include "store/migration.hpp"
#include "store/postgres/connection.hpp"

namespace headcount::store::postgres {

/// Applies pending migrations in one transaction holding an advisory lock: a second
/// process migrating at the same moment waits for the lock, then finds them applied.
/// Safe to run twice. Returns the versions it applied.
std::vector<int> migrate(connection& db, std::span<const migration> migrations);

/// The PostgreSQL migrations embedded in the binary (store/migrations/postgres/NNN_name.sql).
std::span<const migration> postgres_migrations();

}  // namespace headcount::store::postgres
