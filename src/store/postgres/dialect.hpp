#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/sql/queries.hpp"

namespace headcount::store::postgres {

/// PostgreSQL for the shared repositories (store/sql).
struct dialect {
    using connection = postgres::connection;
    using query = postgres::query;

    /// An array literal, for `= ANY ($n::text[])` and `= ANY ($n::bigint[])`.
    static std::string list(const std::vector<std::string>& values) {
        return array_literal(values);
    }
    static std::string list(const std::vector<std::int64_t>& values) {
        return array_literal(values);
    }
    /// The id of an INSERT ... RETURNING id.
    static std::int64_t inserted_id(connection& db, query& insert);
    /// A transaction-scoped advisory lock, so that one instance runs the pass while the
    /// others skip it instead of queueing behind its row lock; released at COMMIT or ROLLBACK.
    static bool lock_expiry_pass(connection& db);

    static const sql::user_queries users;
    static const sql::student_queries students;
    static const sql::meeting_queries meetings;
    static const sql::occurrence_queries occurrences;
    static const sql::session_queries sessions;
    static const sql::participant_queries participants;
    static const sql::roster_queries rosters;
};

}  // namespace headcount::store::postgres
