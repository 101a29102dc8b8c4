#pragma once

#include <span>
#include <string_view>

namespace headcount::store {

/// One numbered schema change, in a storage dialect. Applied once, in order, and recorded
/// in `schema_migrations`.
struct migration {
    int version = 0;
    std::string_view name;
    std::string_view sql;
};

/// The SQLite migrations embedded in the binary (store/migrations/sqlite/NNN_name.sql).
std::span<const migration> sqlite_migrations();
/// The PostgreSQL migrations (store/migrations/postgres/NNN_name.sql).
std::span<const migration> postgres_migrations();

}  // namespace headcount::store
