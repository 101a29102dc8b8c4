#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace headcount::store::sqlite {

/// A failed SQLite call, with SQLite's result code.
class error : public std::runtime_error {
public:
    error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }
    bool is_constraint() const;
    bool is_busy() const;

private:
    int code_;
};

class connection;

/// A prepared statement in use: bind, step, read columns. Resets itself (releasing its
/// read snapshot) when it goes out of scope. Parameters and columns count from 0.
class query {
public:
    query(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    query(const query&) = delete;
    query& operator=(const query&) = delete;
    ~query();

    query& bind(int index, std::int64_t value);
    query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    query& bind(int index, std::size_t value) {
        return bind(index, static_cast<std::int64_t>(value));
    }
    query& bind(int index, double value);
    query& bind(int index, bool value) {
        return bind(index, static_cast<std::int64_t>(value ? 1 : 0));
    }
    query& bind(int index, std::string_view value);
    query& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
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

    /// Advances to the next row; false when there is none.
    bool step();
    /// Runs a statement that returns no rows; returns how many rows it changed.
    std::int64_t run();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    bool boolean(int column) const { return int64(column) != 0; }
    double real(int column) const;
    std::string text(int column) const;
    std::string_view text_view(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<double> optional_real(int column) const;
    std::optional<std::string> optional_text(int column) const;

private:
    sqlite3_stmt* stmt_;
    sqlite3* db_;
};

/// One SQLite connection with its prepared statements. Belongs to one thread at a time.
class connection {
public:
    enum class mode { read_write, read_only };

    connection(const std::string& path, mode m);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    void exec(const char* sql);
    /// The statement for `sql`, prepared once per connection. `sql` must be a string
    /// constant: statements are cached by its address.
    query prepare(const char* sql);
    std::int64_t last_insert_rowid() const;
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

/// Throws `error` for a result code that is not OK/ROW/DONE.
void check(int code, sqlite3* db, std::string_view what);

}  // namespace headcount::store::sqlite
