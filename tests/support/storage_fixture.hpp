#pragma once

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "store/postgres/connection.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/unit.hpp"
#include "support/sqlite_fixture.hpp"

namespace headcount::testing {

/// The PostgreSQL server the storage tests run against, when one was given:
/// HEADCOUNT_TEST_DATABASE_URL, else the URL in the file HEADCOUNT_TEST_DATABASE_URL_FILE
/// (what the ctest fixture `postgres` writes).
inline std::optional<std::string> test_postgres_url() {
    if (const char* url = std::getenv("HEADCOUNT_TEST_DATABASE_URL"); url && *url)
        return url;
    if (const char* file = std::getenv("HEADCOUNT_TEST_DATABASE_URL_FILE"); file && *file) {
        std::ifstream in(file);
        std::string url;
        if (in >> url)
            return url;
    }
    return std::nullopt;
}

/// Repositories on real storage, each test on a fresh, migrated database: a SQLite file
/// (`sqlite_fixture`), or, when a PostgreSQL server is given (see `test_postgres_url`), a
/// schema of its own on it, dropped afterwards. Tests see only the `store::unit`
/// interface, so the same tests run on both.
class storage_fixture : public sqlite_fixture {
protected:
    storage_fixture() {
        const auto url = test_postgres_url();
        if (!url) {
            repos = sqlite_fixture::repos.get();
            return;
        }
        schema_ = "test_" + std::to_string(std::random_device{}());
        pg_ = std::make_unique<store::postgres::connection>(*url);
        pg_->exec("CREATE SCHEMA " + schema_);
        pg_->exec("SET search_path TO " + schema_);
        store::postgres::migrate(*pg_, store::postgres::postgres_migrations());
        pg_repos_ = std::make_unique<store::postgres::unit>(*pg_, clock);
        repos = pg_repos_.get();
    }
    ~storage_fixture() override {
        pg_repos_.reset();
        if (pg_) {
            pg_->exec("DROP SCHEMA " + schema_ + " CASCADE");
        }
    }

    store::unit* repos = nullptr;

private:
    std::string schema_;
    std::unique_ptr<store::postgres::connection> pg_;
    std::unique_ptr<store::postgres::unit> pg_repos_;
};

}  // namespace headcount::testing
