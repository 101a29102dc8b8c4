#include "store/postgres/dialect.hpp"

namespace headcount::store::postgres {
namespace {

constexpr const char* try_lock = "SELECT pg_try_advisory_xact_lock($1)";
/// The advisory lock key of the expiry pass ("hcexpiry" read as a number).
constexpr std::int64_t expiry_lock_key = 0x6863657870697279;

}  // namespace

std::int64_t dialect::inserted_id(connection&, query& insert) {
    if (!insert.step())
        throw error("", "an INSERT returned no id");
    return insert.int64(0);
}

bool dialect::lock_expiry_pass(connection& db) {
    auto q = db.prepare(try_lock);
    return q.with(expiry_lock_key).step() && q.boolean(0);
}

}  // namespace headcount::store::postgres
