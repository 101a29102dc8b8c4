#include "store/sqlite/sqlite_database.hpp"

#include <future>

#include "auth/user.hpp"
#include "support/sqlite_fixture.hpp"

namespace headcount::store::sqlite {
namespace {

auth::new_user someone(const std::string& name) {
    return {name, name + "@example.com", auth::role::user, "$argon2id$not-a-real-hash"};
}

/// How many users named `name` a fresh connection (another reader) sees.
std::int64_t users_named(const std::string& path, const std::string& name) {
    connection file(path, connection::mode::read_only);
    auto q = file.prepare("SELECT count(*) FROM users WHERE username = ?");
    q.with(name);
    return q.step() ? q.int64(0) : -1;
}

class SqliteDatabaseTest : public testing::sqlite_fixture {
protected:
    SqliteDatabaseTest() : path((dir_ / "store.db").string()), store(path, 2, clock, events) {}

    /// Runs a write job and waits for its completion; returns what the completion got.
    std::exception_ptr write(database::job work, std::function<void()> in_completion = {}) {
        std::promise<std::exception_ptr> done;
        store.write(std::move(work), [&](std::exception_ptr failure) {
            if (in_completion)
                in_completion();
            done.set_value(failure);
        });
        return done.get_future().get();
    }

    std::string path;
    sqlite_database store;
};

TEST_F(SqliteDatabaseTest, TheFileIsInWalMode) {
    connection file(path, connection::mode::read_only);
    auto q = file.prepare("PRAGMA journal_mode");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.text(0), "wal");
    EXPECT_EQ(store.kind(), "sqlite");
    EXPECT_EQ(store.applied_migrations().size(), sqlite_migrations().size());
}

TEST_F(SqliteDatabaseTest, AWriteCompletionRunsOnlyAfterTheCommit) {
    std::int64_t seen_in_completion = -1;
    const auto failure = write(
        [](store::unit& u) { ASSERT_TRUE(u.sessions().users.insert(someone("ann")).has_value()); },
        [&] { seen_in_completion = users_named(path, "ann"); }
    );
    EXPECT_EQ(failure, nullptr);
    // Another connection already sees the row when the completion runs: it was committed.
    EXPECT_EQ(seen_in_completion, 1);
}

TEST_F(SqliteDatabaseTest, ManyConcurrentWritesAreEachCommittedBeforeTheirCompletion) {
    constexpr int count = 40;
    std::vector<std::promise<std::int64_t>> seen(count);
    for (int i = 0; i < count; ++i) {
        const auto name = "user" + std::to_string(i);
        store.write(
            [name](store::unit& u) { (void)u.sessions().users.insert(someone(name)); },
            [this, name, &seen, i](std::exception_ptr) {
                seen[i].set_value(users_named(path, name));
            }
        );
    }
    for (int i = 0; i < count; ++i)
        EXPECT_EQ(seen[i].get_future().get(), 1) << i;
}

TEST_F(SqliteDatabaseTest, AThrowingJobChangesNothingAndTheCompletionGetsTheException) {
    const auto failure = write([](store::unit& u) {
        (void)u.sessions().users.insert(someone("bob"));
        u.outbox().publish({"userJoinedMeeting", "1", {}, {}});
        throw std::runtime_error("bug in the job");
    });
    ASSERT_NE(failure, nullptr);
    EXPECT_THROW(std::rethrow_exception(failure), std::runtime_error);
    EXPECT_EQ(users_named(path, "bob"), 0);
    EXPECT_TRUE(events.events.empty());
}

TEST_F(SqliteDatabaseTest, AThrowingJobDoesNotUndoTheOthersOfItsBatch) {
    // Queued together, so the writer is likely to take them in one transaction.
    std::promise<void> a;
    std::promise<void> b;
    std::promise<void> c;
    std::exception_ptr b_failure;
    store.write(
        [](store::unit& u) { (void)u.sessions().users.insert(someone("first")); },
        [&](std::exception_ptr) { a.set_value(); }
    );
    store.write(
        [](store::unit& u) {
            (void)u.sessions().users.insert(someone("middle"));
            throw std::runtime_error("no");
        },
        [&](std::exception_ptr f) {
            b_failure = f;
            b.set_value();
        }
    );
    store.write(
        [](store::unit& u) { (void)u.sessions().users.insert(someone("last")); },
        [&](std::exception_ptr) { c.set_value(); }
    );
    a.get_future().get();
    b.get_future().get();
    c.get_future().get();
    EXPECT_NE(b_failure, nullptr);
    EXPECT_EQ(users_named(path, "first"), 1);
    EXPECT_EQ(users_named(path, "middle"), 0);
    EXPECT_EQ(users_named(path, "last"), 1);
}

TEST_F(SqliteDatabaseTest, DiscardRollsBackAndDropsEventsWithoutAnError) {
    const auto failure = write([](store::unit& u) {
        (void)u.sessions().users.insert(someone("cat"));
        u.outbox().publish({"userJoinedMeeting", "1", {}, {}});
        u.discard();
    });
    EXPECT_EQ(failure, nullptr);
    EXPECT_EQ(users_named(path, "cat"), 0);
    EXPECT_TRUE(events.events.empty());
}

TEST_F(SqliteDatabaseTest, EventsArePublishedAfterTheCommitInOrder) {
    std::size_t published_before_completion = 0;
    const auto failure = write(
        [](store::unit& u) {
            (void)u.sessions().users.insert(someone("dan"));
            u.outbox().publish({"first", "1", {}, {}});
            u.outbox().publish({"second", "1", {}, {}});
        },
        [&] { published_before_completion = events.events.size(); }
    );
    EXPECT_EQ(failure, nullptr);
    EXPECT_EQ(published_before_completion, 2U);
    ASSERT_EQ(events.events.size(), 2U);
    EXPECT_EQ(events.events[0].name, "first");
    EXPECT_EQ(events.events[1].name, "second");
}

TEST_F(SqliteDatabaseTest, ReadsSeeCommittedWritesAndCannotWrite) {
    ASSERT_EQ(
        write([](store::unit& u) { (void)u.sessions().users.insert(someone("eve")); }), nullptr
    );
    std::promise<std::exception_ptr> done;
    std::optional<auth::user> found;
    store.read(
        [&](store::unit& u) {
            found = u.sessions().users.find_by_username("eve");
            (void)u.sessions().users.insert(someone("mallory"));
        },
        [&](std::exception_ptr f) { done.set_value(f); }
    );
    const auto failure = done.get_future().get();
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->email, "eve@example.com");
    // The read-only connection refuses the insert; the job fails as unavailable.
    ASSERT_NE(failure, nullptr);
    try {
        std::rethrow_exception(failure);
    } catch (const api_exception& e) {
        EXPECT_EQ(e.error.code, errc::unavailable);
    }
    EXPECT_EQ(users_named(path, "mallory"), 0);
}

TEST_F(SqliteDatabaseTest, AfterStopJobsFailAsUnavailable) {
    ASSERT_EQ(
        write([](store::unit& u) { (void)u.sessions().users.insert(someone("fay")); }), nullptr
    );
    store.stop();
    EXPECT_EQ(users_named(path, "fay"), 1);
    for (const bool writing : {true, false}) {
        std::exception_ptr failure;
        bool ran = false;
        auto job = [&ran](store::unit&) { ran = true; };
        auto done = [&failure](std::exception_ptr f) { failure = f; };
        if (writing) {
            store.write(job, done);
        } else {
            store.read(job, done);
        }
        EXPECT_FALSE(ran);
        ASSERT_NE(failure, nullptr);
        try {
            std::rethrow_exception(failure);
        } catch (const api_exception& e) {
            EXPECT_EQ(e.error.code, errc::unavailable);
            EXPECT_EQ(e.error.message, "Storage unavailable");
        }
    }
}

TEST_F(SqliteDatabaseTest, AProbeAnswers) {
    std::promise<bool> up;
    store.read([&](store::unit& u) { up.set_value(u.probe()); }, [](std::exception_ptr) {});
    EXPECT_TRUE(up.get_future().get());
}

}  // namespace
}  // namespace headcount::store::sqlite
