#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/sql/queries.hpp"
#include "store/sqlite/connection.hpp"

namespace headcount::store::sqlite {

/// SQLite for the shared repositories (store/sql).
struct dialect {
    using connection = sqlite::connection;
    using query = sqlite::query;

    /// A JSON array, for `IN (SELECT value FROM json_each(?))`.
    static std::string list(const std::vector<std::string>& values);
    static std::string list(const std::vector<std::int64_t>& values);
    /// The id from `last_insert_rowid`: with RETURNING, SQLite would gather the row in a
    /// temporary b-tree opened and freed on every statement.
    static std::int64_t inserted_id(connection& db, query& insert);
    /// One writer at a time: nobody else can be in the pass.
    static bool lock_expiry_pass(connection&) { return true; }

    static const sql::user_queries users;
    static const sql::student_queries students;
    static const sql::meeting_queries meetings;
    static const sql::occurrence_queries occurrences;
    static const sql::session_queries sessions;
    static const sql::participant_queries participants;
    static const sql::roster_queries rosters;
};

}  // namespace headcount::store::sqlite
