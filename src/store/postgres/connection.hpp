#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace headcount::store::postgres {

/// A failed libpq call, with the SQLSTATE PostgreSQL reported (empty when the connection
/// itself failed).
class error : public std::runtime_error {
public:
    error(std::string sqlstate, const std::string& what)
        : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }
    /// A unique violation, serialization failure or deadlock: the transaction may succeed
    /// when run again.
    bool is_retryable() const;

private:
    std::string sqlstate_;
};

/// A text array literal (`{"a","b"}`) for a `$n::text[]` or `$n::bigint[]` parameter.
std::string array_literal(const std::vector<std::string>& values);
std::string array_literal(const std::vector<std::int64_t>& values);

class connection;

/// A prepared statement in use: bind, then `step` through its rows or `run` it.
/// Parameters and columns count from 0; values travel in PostgreSQL's text format.
class query {
public:
    query(connection& db, const char* sql) : db_(db), sql_(sql) {}
    query(const query&) = delete;
    query& operator=(const query&) = delete;
    ~query();

    query& bind(int index, std::int64_t value) { return set(index, std::to_string(value)); }
    query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    query& bind(int index, std::size_t value) {
        return bind(index, static_cast<std::int64_t>(value));
    }
    query& bind(int index, double value);
    query& bind(int index, bool value) { return set(index, value ? "t" : "f"); }
    query& bind(int index, std::string_view value) { return set(index, std::string(value)); }
    query& bind(int index, const std::string& value) { return set(index, value); }
    query& bind(int index, const char* value) { return set(index, value); }
    query& bind(int index, std::nullopt_t);
    template <class T>
    query& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }

    /// Binds the arguments to parameters 0, 1, ...
    template <class... Args>
    query& with(const Args&... args) {
        int index = 0;
        (bind(index++, args), ...);
        return *this;
    }

    /// Runs the statement on the first call; then advances to the next row, false when
    /// there is none.
    bool step();
    /// Runs a statement; returns how many rows it changed.
    std::int64_t run();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    bool boolean(int column) const;
    std::string text(int column) const;
    std::string_view text_view(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<double> optional_real(int column) const;
    std::optional<std::string> optional_text(int column) const;

private:
    query& set(int index, std::string value);
    void execute();

    connection& db_;
    const char* sql_;
    std::vector<std::optional<std::string>> params_;
    pg_result* result_ = nullptr;
    int row_ = -1;
    int rows_ = 0;
};

/// One libpq connection with its prepared statements. Belongs to one thread at a time.
class connection {
public:
    /// Connects to `url` (a libpq connection URI); throws `error` when it cannot.
    explicit connection(const std::string& url);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    /// Runs one or more statements without parameters.
    void exec(const std::string& sql);
    /// A statement for `sql`, prepared on the server once per connection. `sql` must be a
    /// string constant: statements are named after its address.
    query prepare(const char* sql) { return {*this, sql}; }
    /// Whether the connection is still usable (false after the server went away).
    bool healthy() const;

private:
    friend class query;
    /// Runs prepared `sql` with text parameters; the caller owns the result.
    pg_result* execute(const char* sql, const std::vector<std::optional<std::string>>& params);
    [[noreturn]] void fail(pg_result* result, std::string_view what);

    pg_conn* conn_ = nullptr;
    std::unordered_map<const char*, std::string> statements_;
};

}  // namespace headcount::store::postgres
