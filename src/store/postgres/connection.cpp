#include "store/postgres/connection.hpp"

#include <array>
#include <charconv>
#include <cstdlib>

#include <libpq-fe.h>

namespace headcount::store::postgres {
namespace {

/// Seconds libpq waits for a server that does not answer, so a job fails with
/// `unavailable` instead of hanging a storage thread.
constexpr const char* connect_timeout_seconds = "3";

std::string sqlstate_of(const PGresult* result) {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    return state != nullptr ? state : "";
}

void append_quoted(std::string& out, std::string_view value) {
    out.push_back('"');
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace

bool error::is_retryable() const {
    // 23505 unique_violation (two transactions raced to one row), 40001
    // serialization_failure, 40P01 deadlock_detected.
    return sqlstate_ == "23505" || sqlstate_ == "40001" || sqlstate_ == "40P01";
}

std::string array_literal(const std::vector<std::string>& values) {
    std::string out = "{";
    for (const auto& v : values) {
        if (out.size() > 1)
            out.push_back(',');
        append_quoted(out, v);
    }
    out.push_back('}');
    return out;
}

std::string array_literal(const std::vector<std::int64_t>& values) {
    std::string out = "{";
    for (const auto v : values) {
        if (out.size() > 1)
            out.push_back(',');
        out += std::to_string(v);
    }
    out.push_back('}');
    return out;
}

query::~query() {
    PQclear(result_);
}

query& query::set(int index, std::string value) {
    const auto i = static_cast<std::size_t>(index);
    if (params_.size() <= i)
        params_.resize(i + 1);
    params_[i] = std::move(value);
    return *this;
}

query& query::bind(int index, double value) {
    std::array<char, 32> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return set(index, std::string(buffer.data(), end));
}

query& query::bind(int index, std::nullopt_t) {
    const auto i = static_cast<std::size_t>(index);
    if (params_.size() <= i)
        params_.resize(i + 1);
    params_[i].reset();
    return *this;
}

void query::execute() {
    result_ = db_.execute(sql_, params_);
    rows_ = PQntuples(result_);
}

bool query::step() {
    if (result_ == nullptr)
        execute();
    return ++row_ < rows_;
}

std::int64_t query::run() {
    if (result_ == nullptr)
        execute();
    const char* changed = PQcmdTuples(result_);
    return changed != nullptr && *changed != '\0' ? std::strtoll(changed, nullptr, 10) : 0;
}

bool query::is_null(int column) const {
    return PQgetisnull(result_, row_, column) == 1;
}

std::int64_t query::int64(int column) const {
    return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10);
}

double query::real(int column) const {
    return std::strtod(PQgetvalue(result_, row_, column), nullptr);
}

bool query::boolean(int column) const {
    return PQgetvalue(result_, row_, column)[0] == 't';
}

std::string_view query::text_view(int column) const {
    return {
        PQgetvalue(result_, row_, column),
        static_cast<std::size_t>(PQgetlength(result_, row_, column))};
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

connection::connection(const std::string& url) {
    const std::array<const char*, 3> keys{"dbname", "connect_timeout", nullptr};
    const std::array<const char*, 3> values{url.c_str(), connect_timeout_seconds, nullptr};
    conn_ = PQconnectdbParams(keys.data(), values.data(), 1);
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = PQerrorMessage(conn_);
        PQfinish(conn_);
        conn_ = nullptr;
        throw error("", "cannot connect to PostgreSQL: " + message);
    }
    // Notices ("relation already exists, skipping") would go to stderr, among the JSON logs.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr
    );
}

connection::~connection() {
    PQfinish(conn_);
}

bool connection::healthy() const {
    return PQstatus(conn_) == CONNECTION_OK;
}

void connection::fail(PGresult* result, std::string_view what) {
    auto state = sqlstate_of(result);
    std::string message(what);
    message.append(": ");
    message.append(PQerrorMessage(conn_));
    PQclear(result);
    throw error(std::move(state), message);
}

void connection::exec(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        fail(result, "exec");
    PQclear(result);
}

PGresult* connection::execute(
    const char* sql, const std::vector<std::optional<std::string>>& params
) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        auto name = "s" + std::to_string(statements_.size());
        PGresult* prepared = PQprepare(conn_, name.c_str(), sql, 0, nullptr);
        if (PQresultStatus(prepared) != PGRES_COMMAND_OK)
            fail(prepared, sql);
        PQclear(prepared);
        it = statements_.emplace(sql, std::move(name)).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    PGresult* result = PQexecPrepared(
        conn_, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr,
        0
    );
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        fail(result, "query");
    return result;
}

}  // namespace headcount::store::postgres
