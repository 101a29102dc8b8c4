#pragma once

#include <filesystem>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/domain_event.hpp"
#include "store/migration.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrator.hpp"
#include "store/sqlite/unit.hpp"

namespace headcount::testing {

/// Events as raised, for assertions.
class captured_events final : public event_sink {
public:
    void publish(domain_event event) override { events.push_back(std::move(event)); }
    std::vector<const domain_event*> named(std::string_view name) const {
        std::vector<const domain_event*> out;
        for (const auto& e : events) {
            if (e.name == name)
                out.push_back(&e);
        }
        return out;
    }
    std::vector<domain_event> events;
};

/// A real, migrated SQLite file in a temporary folder, with one connection and the
/// repositories on it; each test runs its calls directly on that connection.
class sqlite_fixture : public ::testing::Test {
protected:
    sqlite_fixture()
        : dir_(
              std::filesystem::temp_directory_path() /
              ("headcount-unit-" + std::to_string(std::random_device{}()))
          ),
          clock(from_epoch_ms(1767261600000)) {  // 2026-01-01T10:00:00Z
        std::filesystem::create_directories(dir_);
        db = std::make_unique<store::sqlite::connection>(
            (dir_ / "test.db").string(), store::sqlite::connection::mode::read_write
        );
        // Durability is the store's concern, not these tests': skip the fsyncs.
        db->exec("PRAGMA synchronous = OFF");
        store::sqlite::migrate(*db, store::sqlite::sqlite_migrations());
        repos = std::make_unique<store::sqlite::unit>(*db, clock, false);
    }
    ~sqlite_fixture() override {
        repos.reset();
        db.reset();
        std::filesystem::remove_all(dir_);
    }

    std::filesystem::path dir_;
    manual_clock clock;
    std::unique_ptr<store::sqlite::connection> db;
    std::unique_ptr<store::sqlite::unit> repos;
    captured_events events;
};

}  // namespace headcount::testing
