#include "store/sqlite/wal_syncer.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "store/sqlite/connection.hpp"
#include "support/sqlite_fixture.hpp"

namespace headcount::store::sqlite {
namespace {

/// A batch of `jobs` tasks whose completions append "<label>.<i>" to `log`, each preceded
/// by the events published so far.
committed_batch batch_of(
    std::shared_ptr<const wal_file> wal,
    const std::string& label,
    std::size_t jobs,
    std::vector<std::string>& log,
    const testing::captured_events& events,
    std::promise<void>* last = nullptr
) {
    committed_batch b;
    b.wal = std::move(wal);
    for (std::size_t i = 0; i < jobs; ++i) {
        const bool final_job = i + 1 == jobs;
        b.tasks.push_back(
            {{},
             [&log, &events, label, i, final_job, last](std::exception_ptr failure) {
                 log.push_back(
                     label + "." + std::to_string(i) + (failure ? " failed" : "") + " after " +
                     std::to_string(events.events.size()) + " events"
                 );
                 if (final_job && last != nullptr)
                     last->set_value();
             },
             true}
        );
        b.failures.push_back(nullptr);
        b.events.push_back({{label + ".event" + std::to_string(i), "m", {}, {}}});
    }
    return b;
}

class WalSyncerTest : public ::testing::Test {
protected:
    WalSyncerTest()
        : dir_(
              std::filesystem::temp_directory_path() /
              ("headcount-syncer-" + std::to_string(std::random_device{}()))
          ) {
        std::filesystem::create_directories(dir_);
        std::ofstream(dir_ / "db-wal") << "frames";
    }
    ~WalSyncerTest() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path dir_;
    testing::captured_events events;
    std::vector<std::string> log;
};

TEST_F(WalSyncerTest, BatchesAreAnsweredInOrderEachAfterItsEvents) {
    auto wal = std::make_shared<const wal_file>((dir_ / "db-wal").string());
    std::atomic<int> idle_calls{0};
    std::promise<void> second_done;
    {
        wal_syncer syncer(events, [&] { ++idle_calls; });
        syncer.submit(batch_of(wal, "a", 2, log, events));
        syncer.submit(batch_of(wal, "b", 1, log, events, &second_done));
        second_done.get_future().get();
        syncer.stop();
        EXPECT_TRUE(syncer.idle());
    }
    // Each job's events are out before its own completion runs, and in submission order.
    EXPECT_EQ(
        log,
        (std::vector<std::string>{"a.0 after 1 events", "a.1 after 2 events", "b.0 after 3 events"})
    );
    ASSERT_EQ(events.events.size(), 3U);
    EXPECT_EQ(events.events[0].name, "a.event0");
    EXPECT_EQ(events.events[2].name, "b.event0");
    EXPECT_GE(idle_calls.load(), 1);
}

TEST_F(WalSyncerTest, AFailedSyncAnswersUnavailableAndPublishesNothing) {
    // fdatasync of /dev/null fails (EINVAL), like a disk that cannot make data durable.
    auto unsyncable = std::make_shared<const wal_file>("/dev/null");
    EXPECT_THROW(unsyncable->sync(), error);
    std::promise<void> done;
    std::exception_ptr failure;
    committed_batch b = batch_of(unsyncable, "x", 1, log, events);
    b.tasks[0].done = [&](std::exception_ptr f) {
        failure = f;
        done.set_value();
    };
    wal_syncer syncer(events, [] {});
    syncer.submit(std::move(b));
    done.get_future().get();
    ASSERT_NE(failure, nullptr);
    try {
        std::rethrow_exception(failure);
    } catch (const api_exception& e) {
        EXPECT_EQ(e.error.code, errc::unavailable);
    }
    EXPECT_TRUE(events.events.empty());
}

TEST_F(WalSyncerTest, AJobThatFailedOnItsOwnGetsItsErrorAfterTheSync) {
    auto wal = std::make_shared<const wal_file>((dir_ / "db-wal").string());
    std::promise<void> done;
    committed_batch b = batch_of(wal, "y", 2, log, events, &done);
    b.failures[0] = std::make_exception_ptr(std::runtime_error("job failed"));
    b.events[0].clear();
    wal_syncer syncer(events, [] {});
    syncer.submit(std::move(b));
    done.get_future().get();
    EXPECT_EQ(log, (std::vector<std::string>{"y.0 failed after 0 events", "y.1 after 1 events"}));
}

TEST(WalFileTest, AMissingFileIsAnError) {
    EXPECT_THROW(wal_file("/nonexistent/headcount.db-wal"), error);
}

}  // namespace
}  // namespace headcount::store::sqlite
