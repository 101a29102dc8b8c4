#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <vector>

#include "store/sql/queries.hpp"

namespace headcount::store::sql {

/// What the repositories of this folder, written once, need from a backend: its connection
/// and query (prepare, bind with `with`, `step`/`run`, typed column reads), its statements,
/// and the few things its SQL cannot say the same way.
template <class D>
concept dialect = requires(
    typename D::connection& db,
    typename D::query& insert,
    const std::vector<std::string>& texts,
    const std::vector<std::int64_t>& numbers
) {
    /// A list bound as one parameter, for the statements' "is one of" conditions.
    { D::list(texts) } -> std::same_as<std::string>;
    { D::list(numbers) } -> std::same_as<std::string>;
    /// Runs a bound INSERT of one row and returns the id the database gave it.
    { D::inserted_id(db, insert) } -> std::same_as<std::int64_t>;
    /// Takes the lock that keeps other instances out of this expiry pass, for the rest of
    /// the transaction; false when another instance holds it.
    { D::lock_expiry_pass(db) } -> std::same_as<bool>;
    { D::users } -> std::convertible_to<const user_queries&>;
    { D::students } -> std::convertible_to<const student_queries&>;
    { D::meetings } -> std::convertible_to<const meeting_queries&>;
    { D::occurrences } -> std::convertible_to<const occurrence_queries&>;
    { D::sessions } -> std::convertible_to<const session_queries&>;
    { D::participants } -> std::convertible_to<const participant_queries&>;
    { D::rosters } -> std::convertible_to<const roster_queries&>;
};

}  // namespace headcount::store::sql
