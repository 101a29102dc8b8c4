#include "store/sqlite/migrator.hpp"

#include <barrier>
#include <set>
#include <thread>

#include "support/sqlite_fixture.hpp"

namespace headcount::store::sqlite {
namespace {

/// Every migration version, in order.
std::vector<int> all_versions() {
    std::vector<int> out;
    for (const auto& m : sqlite_migrations())
        out.push_back(m.version);
    return out;
}

std::vector<int> recorded_versions(connection& file) {
    std::vector<int> out;
    auto q = file.prepare("SELECT version FROM schema_migrations ORDER BY version");
    while (q.step())
        out.push_back(static_cast<int>(q.int64(0)));
    return out;
}

class MigratorTest : public testing::sqlite_fixture {
protected:
    std::string fresh_file(const std::string& name) const { return (dir_ / name).string(); }
};

TEST_F(MigratorTest, TheEmbeddedMigrationsAreNumberedFromOneWithoutGaps) {
    const auto versions = all_versions();
    ASSERT_FALSE(versions.empty());
    for (std::size_t i = 0; i < versions.size(); ++i)
        EXPECT_EQ(versions[i], static_cast<int>(i) + 1);
    for (const auto& m : sqlite_migrations()) {
        EXPECT_FALSE(m.name.empty());
        EXPECT_FALSE(m.sql.empty());
    }
}

TEST_F(MigratorTest, AppliesEveryMigrationOnceAndASecondRunIsANoOp) {
    connection file(fresh_file("once.db"), connection::mode::read_write);
    EXPECT_EQ(migrate(file, sqlite_migrations()), all_versions());
    EXPECT_EQ(recorded_versions(file), all_versions());
    EXPECT_TRUE(migrate(file, sqlite_migrations()).empty());
    EXPECT_EQ(recorded_versions(file), all_versions());

    // A new connection (a later `migrate`) finds nothing to do either.
    connection again(fresh_file("once.db"), connection::mode::read_write);
    EXPECT_TRUE(migrate(again, sqlite_migrations()).empty());
    EXPECT_EQ(recorded_versions(again), all_versions());
}

TEST_F(MigratorTest, CreatesTheTablesTheStoreUses) {
    connection file(fresh_file("tables.db"), connection::mode::read_write);
    migrate(file, sqlite_migrations());
    std::set<std::string> tables;
    auto q = file.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    while (q.step())
        tables.insert(q.text(0));
    for (const auto* t : {"schema_migrations", "users", "students"})
        EXPECT_TRUE(tables.contains(t)) << t;
}

TEST_F(MigratorTest, OnlyPendingMigrationsAreApplied) {
    const auto& all = sqlite_migrations();
    connection file(fresh_file("pending.db"), connection::mode::read_write);
    EXPECT_EQ(migrate(file, all.subspan(0, 1)), std::vector<int>{1});
    const migration later{
        static_cast<int>(all.size()) + 1, "test_extra", "CREATE TABLE extra (x INTEGER)"};
    std::vector<migration> with_later(all.begin(), all.end());
    with_later.push_back(later);
    auto expected = all_versions();
    expected.erase(expected.begin());
    expected.push_back(later.version);
    EXPECT_EQ(migrate(file, with_later), expected);
    EXPECT_EQ(recorded_versions(file).back(), later.version);
}

TEST_F(MigratorTest, AFailingMigrationLeavesNothingBehind) {
    connection file(fresh_file("failing.db"), connection::mode::read_write);
    const std::vector<migration> broken{
        {1, "good", "CREATE TABLE good (x INTEGER)"},
        {2, "bad", "CREATE TABLE oops (x INTEGER); THIS IS NOT SQL"},
    };
    EXPECT_THROW(migrate(file, broken), error);
    auto q = file.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('good', 'oops')");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.int64(0), 0);
}

TEST_F(MigratorTest, ConcurrentRunsOnOneFileEndWithOneRowPerVersion) {
    const auto path = fresh_file("concurrent.db");
    constexpr int runners = 4;
    std::vector<std::vector<int>> applied(runners);
    std::vector<std::string> failures(runners);
    std::barrier start(runners);
    std::vector<std::thread> threads;
    for (int i = 0; i < runners; ++i) {
        threads.emplace_back([&, i] {
            try {
                connection file(path, connection::mode::read_write);
                file.exec("PRAGMA journal_mode = WAL");
                start.arrive_and_wait();
                applied[i] = migrate(file, sqlite_migrations());
            } catch (const std::exception& e) {
                failures[i] = e.what();
            }
        });
    }
    for (auto& t : threads)
        t.join();
    std::multiset<int> all;
    for (int i = 0; i < runners; ++i) {
        EXPECT_EQ(failures[i], "") << "runner " << i;
        all.insert(applied[i].begin(), applied[i].end());
    }
    // Each version applied by exactly one runner.
    const auto versions = all_versions();
    EXPECT_EQ(all, std::multiset<int>(versions.begin(), versions.end()));
    connection file(path, connection::mode::read_write);
    EXPECT_EQ(recorded_versions(file), versions);
}

}  // namespace
}  // namespace headcount::store::sqlite
