#include <atomic>
#include <chrono>
#include <future>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "store/postgres/connection.hpp"
#include "store/postgres/dialect.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/postgres_database.hpp"
#include "store/sql/participant_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "support/storage_fixture.hpp"

namespace headcount::store::postgres {
namespace {

/// What only the PostgreSQL engine does (pool, retries, locks), on a schema of its own of
/// the test server; skipped when no server is given.
class postgres_store_test : public ::testing::Test {
protected:
    void SetUp() override {
        const auto server = testing::test_postgres_url();
        if (!server) {
            GTEST_SKIP() << "no PostgreSQL server given (HEADCOUNT_TEST_DATABASE_URL or "
                            "HEADCOUNT_TEST_DATABASE_URL_FILE); `ctest -L postgres` starts one";
        }
        schema_ = "engine_" + std::to_string(std::random_device{}());
        admin_ = std::make_unique<connection>(*server);
        admin_->exec("CREATE SCHEMA " + schema_);
        url_ = *server + "?options=-csearch_path%3D" + schema_;
    }
    void TearDown() override {
        if (admin_)
            admin_->exec("DROP SCHEMA " + schema_ + " CASCADE");
    }

    /// Runs a write job and waits for its completion; rethrows what it failed with.
    static void write_and_wait(database& db, database::job work) {
        std::promise<void> finished;
        db.write(std::move(work), [&](std::exception_ptr failure) {
            if (failure) {
                finished.set_exception(failure);
            } else {
                finished.set_value();
            }
        });
        finished.get_future().get();
    }

    std::string url_;
    manual_clock clock{from_epoch_ms(1767261600000)};  // 2026-01-01T10:00:00Z
    testing::captured_events events;

private:
    std::string schema_;
    std::unique_ptr<connection> admin_;
};

TEST_F(postgres_store_test, two_processes_migrating_at_once_apply_each_migration_once) {
    std::vector<int> first;
    std::vector<int> second;
    std::thread a([&] {
        connection db(url_);
        first = migrate(db, postgres_migrations());
    });
    std::thread b([&] {
        connection db(url_);
        second = migrate(db, postgres_migrations());
    });
    a.join();
    b.join();
    EXPECT_EQ(first.size() + second.size(), postgres_migrations().size());
    connection db(url_);
    EXPECT_TRUE(migrate(db, postgres_migrations()).empty());
}

TEST_F(postgres_store_test, concurrent_identical_joins_make_one_session_and_the_others_rerun) {
    postgres_database db(url_, 4, clock, events);
    user_id user{0};
    write_and_wait(db, [&](store::unit& u) {
        user = u.sessions().users.insert({"ann", "ann@x.org", auth::role::user, "h"}).value().id;
    });
    const meeting_id meeting{"race"};
    occurrence_id occurrence;
    write_and_wait(db, [&](store::unit& u) {
        attendance::occurrence o;
        o.meeting = meeting;
        o.first_seen = clock.now();
        occurrence = u.attendance().occurrences.insert(o);
    });
    std::atomic<int> attempts = 0;
    std::vector<std::future<void>> joins;
    for (int i = 0; i < 4; ++i) {
        auto done = std::make_shared<std::promise<void>>();
        joins.push_back(done->get_future());
        db.write(
            [&, i](store::unit& u) {
                ++attempts;
                auto& sessions = u.sessions().sessions;
                if (sessions.find_active(user, meeting))
                    return;
                // Every first attempt reads "no session" before any inserts one.
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                sessions::session s;
                s.id = session_id{"s" + std::to_string(i)};
                s.user = user;
                s.meeting = meeting;
                s.occurrence = occurrence;
                s.participant_name = "Ann";
                s.name_key = "ann";
                s.join_time = s.last_activity = clock.now();
                sessions.insert(s);
            },
            [done](std::exception_ptr failure) {
                if (failure) {
                    done->set_exception(failure);
                } else {
                    done->set_value();
                }
            }
        );
    }
    for (auto& j : joins)
        EXPECT_NO_THROW(j.get());
    EXPECT_GT(attempts.load(), 4) << "the losers ran again";
    std::size_t active = 0;
    write_and_wait(db, [&](store::unit& u) {
        active = u.sessions().sessions.active_in_meeting(meeting).size();
    });
    EXPECT_EQ(active, 1U);
}

TEST_F(postgres_store_test, one_instance_runs_an_expiry_pass_while_another_holds_it) {
    {
        connection db(url_);
        migrate(db, postgres_migrations());
    }
    connection first(url_);
    connection second(url_);
    sql::session_repository<dialect> on_first(first);
    sql::session_repository<dialect> on_second(second);
    const auto gap = std::chrono::milliseconds(0);
    first.exec("BEGIN");
    EXPECT_TRUE(on_first.claim_cleanup_pass(clock.now(), gap));
    // The first pass is still running (its transaction holds the advisory lock).
    EXPECT_FALSE(on_second.claim_cleanup_pass(clock.now(), gap));
    first.exec("COMMIT");
    clock.advance(std::chrono::seconds(60));
    EXPECT_TRUE(on_second.claim_cleanup_pass(clock.now(), std::chrono::seconds(30)));
    EXPECT_FALSE(on_first.claim_cleanup_pass(clock.now(), std::chrono::seconds(30)))
        << "claimed less than the gap ago";
}

TEST_F(
    postgres_store_test, a_participant_another_instance_inserts_meanwhile_is_found_on_the_rerun
) {
    postgres_database db(url_, 2, clock, events);
    attendance::occurrence in;
    in.id = occurrence_id{1};
    in.meeting = meeting_id{"race"};
    attendance::identity who;
    who.key = "id:p1";
    who.participant_id = "p1";
    who.name = "Ann Lee";
    who.name_key = "ann lee";
    connection other(url_);
    sql::participant_repository<dialect> on_other(other);
    other.exec("BEGIN");
    const auto theirs = on_other.upsert(in, who);

    std::atomic<int> attempts = 0;
    std::int64_t ours = -1;
    auto upserted = std::async(std::launch::async, [&] {
        write_and_wait(db, [&](store::unit& u) {
            ++attempts;
            ours = u.attendance().participants.upsert(in, who).row;
        });
    });
    // The job found no row (the other transaction's is not committed) and its INSERT now
    // waits on the unique key.
    connection watcher(url_);
    bool waiting = false;
    for (int i = 0; i < 500 && !waiting; ++i) {
        auto q = watcher.prepare(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
            "datname = current_database()"
        );
        waiting = q.step() && q.int64(0) == 1;
        if (!waiting)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(waiting) << "the job's insert never waited for the other transaction";
    other.exec("COMMIT");
    ASSERT_NO_THROW(upserted.get());

    EXPECT_EQ(attempts.load(), 2) << "the unique violation reran the job";
    EXPECT_EQ(ours, theirs.row);
    std::size_t rows = 0;
    write_and_wait(db, [&](store::unit& u) {
        rows = u.attendance().participants.in_occurrence(in.id).size();
    });
    EXPECT_EQ(rows, 1U);
}

}  // namespace
}  // namespace headcount::store::postgres
