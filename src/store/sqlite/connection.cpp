#include "store/sqlite/connection.hpp"

#include <mutex>

#include <sqlite3.h>

namespace headcount::store::sqlite {
namespace {

/// Process-wide settings, applied before SQLite initialises (sqlite3_config refuses them
/// after): allocation statistics off, so that every allocation and free of every
/// connection does not take SQLite's global memory mutex (4-8% of the writer's time).
void configure_sqlite_once() {
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

bool error::is_constraint() const {
    return (code_ & 0xff) == SQLITE_CONSTRAINT;
}

bool error::is_busy() const {
    return (code_ & 0xff) == SQLITE_BUSY;
}

void check(int code, sqlite3* db, std::string_view what) {
    if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE)
        return;
    std::string message(what);
    message.append(": ");
    message.append(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
    throw error(db != nullptr ? sqlite3_extended_errcode(db) : code, message);
}

query::~query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

query& query::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_, index + 1, value), db_, "bind");
    return *this;
}

query& query::bind(int index, double value) {
    check(sqlite3_bind_double(stmt_, index + 1, value), db_, "bind");
    return *this;
}

query& query::bind(int index, std::string_view value) {
    check(
        sqlite3_bind_text64(
            stmt_, index + 1, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8
        ),
        db_, "bind"
    );
    return *this;
}

query& query::bind(int index, std::nullopt_t) {
    check(sqlite3_bind_null(stmt_, index + 1), db_, "bind");
    return *this;
}

bool query::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    check(rc, db_, "step");
    return false;
}

std::int64_t query::run() {
    while (step()) {
    }
    return sqlite3_changes64(db_);
}

bool query::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t query::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double query::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string_view query::text_view(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (p == nullptr)
        return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string query::text(int column) const {
    return std::string(text_view(column));
}

std::optional<std::int64_t> query::optional_int64(int column) const {
    if (is_null(column))
        return std::nullopt;
    return int64(column);
}

std::optional<double> query::optional_real(int column) const {
    if (is_null(column))
        return std::nullopt;
    return real(column);
}

std::optional<std::string> query::optional_text(int column) const {
    if (is_null(column))
        return std::nullopt;
    return text(column);
}

connection::connection(const std::string& path, mode m) {
    configure_sqlite_once();
    const int flags = (m == mode::read_only ? SQLITE_OPEN_READWRITE
                                            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw error(rc, "cannot open database " + path + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    // Another process (the CLI, a second instance) may hold the write lock for a moment.
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA foreign_keys = ON");
    if (m == mode::read_only)
        exec("PRAGMA query_only = ON");
}

connection::~connection() {
    for (auto& [sql, stmt] : statements_)
        sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

void connection::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string what = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw error(sqlite3_extended_errcode(db_), what);
    }
}

query connection::prepare(const char* sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        sqlite3_stmt* stmt = nullptr;
        check(
            sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr), db_, sql
        );
        it = statements_.emplace(sql, stmt).first;
    }
    return {it->second, db_};
}

std::int64_t connection::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

}  // namespace headcount::store::sqlite
