#include "store/sqlite/migrator.hpp"

#include <barrier>
#include <set>
#include <thread>

#include <sqlite3.h>

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

/// Whether executing `explain_sql` (an EXPLAIN statement) builds a temporary index.
bool opens_ephemeral_table(connection& file, const char* explain_sql) {
    auto q = file.prepare(explain_sql);
    while (q.step()) {
        if (q.text(1) == "OpenEphemeral")
            return true;
    }
    return false;
}

TEST_F(MigratorTest, RebuildingTheChecksKeepsEveryRowIdSequenceAndRule) {
    const auto& all = sqlite_migrations();
    connection file(fresh_file("rebuild.db"), connection::mode::read_write);
    migrate(file, all.subspan(0, 1));
    file.exec(
        "INSERT INTO meetings VALUES ('m1', 'uuid-1', 'Topic', 'host', 1, 2, 'live', 3, 4);"
        "INSERT INTO user_sessions VALUES ('s1', 1, 'm1', 'Ada', 'ada', NULL, 5, 6, NULL, NULL, "
        "1, NULL, NULL, NULL);"
        "INSERT INTO user_sessions VALUES ('s2', 1, 'm1', 'Ada', 'ada', 'web', 5, 6, 7, 1.5, 0, "
        "'left', 9, 'email');"
        "INSERT INTO zoom_participants (meeting_id, participant_key, participant_id) VALUES "
        "('m1', 'k1', 'p1'), ('m1', 'k2', 'p2'), ('m1', 'k3', 'p3');"
        "INSERT INTO zoom_participant_events VALUES (1, 10, 'join'), (2, 11, 'join'), "
        "(2, 12, 'leave');"
        "DELETE FROM zoom_participants WHERE id = 3;"
    );
    migrate(file, all.subspan(0, 4));

    auto sessions = file.prepare(
        "SELECT session_id, end_reason, duration, matched_by FROM user_sessions ORDER BY 1"
    );
    ASSERT_TRUE(sessions.step());
    EXPECT_EQ(sessions.text(0), "s1");
    EXPECT_FALSE(sessions.optional_text(1).has_value());
    ASSERT_TRUE(sessions.step());
    EXPECT_EQ(sessions.text(0), "s2");
    EXPECT_EQ(sessions.text(1), "left");
    EXPECT_EQ(sessions.text(3), "email");
    EXPECT_FALSE(sessions.step());
    auto meeting = file.prepare("SELECT uuid, status, last_seen_at FROM meetings");
    ASSERT_TRUE(meeting.step());
    EXPECT_EQ(meeting.text(0), "uuid-1");
    EXPECT_EQ(meeting.text(1), "live");
    EXPECT_EQ(meeting.int64(2), 4);
    auto intervals = file.prepare(
        "SELECT group_concat(participant_row || ':' || at || ':' || kind, ' ') FROM "
        "(SELECT * FROM zoom_participant_events ORDER BY 1, 2)"
    );
    ASSERT_TRUE(intervals.step());
    EXPECT_EQ(intervals.text(0), "1:10:join 2:11:join 2:12:leave");

    // The deleted participant's id is not handed out again.
    file.exec(
        "INSERT INTO zoom_participants (meeting_id, participant_key, participant_id) VALUES "
        "('m1', 'k4', 'p4')"
    );
    auto newest = file.prepare("SELECT max(id) FROM zoom_participants");
    ASSERT_TRUE(newest.step());
    EXPECT_EQ(newest.int64(0), 4);

    // The rules still hold: values outside a list, and events of no participant.
    EXPECT_THROW(file.exec("UPDATE user_sessions SET end_reason = 'gone'"), error);
    EXPECT_THROW(file.exec("UPDATE meetings SET status = 'paused'"), error);
    EXPECT_THROW(file.exec("UPDATE zoom_participants SET linked_by = 'guess'"), error);
    EXPECT_THROW(file.exec("INSERT INTO zoom_participant_events VALUES (99, 1, 'join')"), error);
    EXPECT_THROW(file.exec("INSERT INTO zoom_participant_events VALUES (1, 1, 'rejoin')"), error);

    // The hot writes build no temporary index any more.
    EXPECT_FALSE(opens_ephemeral_table(
        file,
        "EXPLAIN INSERT INTO meetings (meeting_id, first_seen_at, last_seen_at) VALUES "
        "(?1, ?2, ?2) ON CONFLICT (meeting_id) DO UPDATE SET last_seen_at = ?2"
    ));
    EXPECT_FALSE(opens_ephemeral_table(
        file,
        "EXPLAIN UPDATE user_sessions SET is_active = 0, end_reason = ?4 WHERE user_id = ?1 AND "
        "join_time = ?2 AND session_id = ?3 AND is_active = 1"
    ));
    EXPECT_FALSE(opens_ephemeral_table(
        file,
        "EXPLAIN INSERT INTO zoom_participants (meeting_id, participant_key, "
        "participant_id, linked_by) VALUES (?, ?, ?, ?)"
    ));
}

/// The plan's detail lines of `sql`, joined by newlines.
std::string query_plan(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* plan = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &plan, nullptr), SQLITE_OK
    );
    std::string out;
    while (sqlite3_step(plan) == SQLITE_ROW)
        out += std::string(reinterpret_cast<const char*>(sqlite3_column_text(plan, 3))) + "\n";
    sqlite3_finalize(plan);
    sqlite3_close(db);
    return out;
}

TEST_F(MigratorTest, ParticipantLookupsUseIndexesThatLeaveOutEmptyColumns) {
    connection file(fresh_file("partial.db"), connection::mode::read_write);
    migrate(file, sqlite_migrations());
    const std::pair<const char*, const char*> lookups[] = {
        {"zoom_participants_by_user",
         "SELECT id FROM zoom_participants WHERE occurrence_id = ? AND user_id = ? ORDER BY id"},
        {"zoom_participants_by_email",
         "SELECT id FROM zoom_participants WHERE occurrence_id = ? AND user_id IS NULL AND "
         "email_key = ? ORDER BY id LIMIT ?"},
        {"zoom_participants_by_customer_key",
         "SELECT id FROM zoom_participants WHERE occurrence_id = ? AND user_id IS NULL AND "
         "customer_key = ? ORDER BY id LIMIT ?"},
        {"zoom_participants_by_name",
         "SELECT id FROM zoom_participants WHERE occurrence_id = ? AND user_id IS NULL AND "
         "name_key <> '' AND name_key IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?"},
        {"zoom_participants_by_user",
         "SELECT s.session_id FROM user_sessions s WHERE s.occurrence_id = ? AND NOT EXISTS "
         "(SELECT 1 FROM zoom_participants p WHERE p.occurrence_id = s.occurrence_id AND "
         "p.user_id = s.user_id)"},
    };
    for (const auto& [index, sql] : lookups) {
        const auto plan = query_plan(fresh_file("partial.db"), sql);
        EXPECT_NE(plan.find("INDEX " + std::string(index) + " "), std::string::npos) << sql << "\n"
                                                                                     << plan;
    }
    auto partial = file.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = "
        "'zoom_participants' AND name LIKE 'zoom_participants_by_%' AND sql LIKE '%WHERE%'"
    );
    ASSERT_TRUE(partial.step());
    EXPECT_EQ(partial.int64(0), 4);
}

TEST_F(MigratorTest, SessionsLoseTheirIdIndexKeepTheirRowsAndAreFoundByUser) {
    const auto& all = sqlite_migrations();
    const auto path = fresh_file("sessions.db");
    connection file(path, connection::mode::read_write);
    migrate(file, all.subspan(0, 3));
    file.exec(
        "INSERT INTO user_sessions VALUES ('7_m_1000', 7, 'm', 'Ada', 'ada', NULL, 1000, 1000, "
        "2000, 0.02, 0, 'left', NULL, NULL);"
        "INSERT INTO user_sessions VALUES ('7_m_3000', 7, 'm', 'Ada', 'ada', 'web', 3000, 3500, "
        "NULL, NULL, 1, NULL, 12, 'email');"
    );
    migrate(file, all.subspan(0, 4));

    auto rows = file.prepare(
        "SELECT group_concat(session_id || ':' || is_active || ':' || coalesce(matched_by, '-'), "
        "' ') FROM (SELECT * FROM user_sessions ORDER BY join_time)"
    );
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.text(0), "7_m_1000:0:- 7_m_3000:1:email");
    auto id_index = file.prepare(
        "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'user_sessions' AND name LIKE "
        "'sqlite_autoindex%'"
    );
    ASSERT_TRUE(id_index.step());
    EXPECT_EQ(id_index.int64(0), 0);
    for (const char* lookup :
         {"SELECT * FROM user_sessions WHERE user_id = ?1 AND join_time = ?2 AND session_id = ?3",
          "UPDATE user_sessions SET last_activity = ?4 WHERE user_id = ?1 AND join_time = ?2 AND "
          "session_id = ?3 AND is_active = 1"}) {
        const auto plan = query_plan(path, lookup);
        EXPECT_NE(plan.find("INDEX user_sessions_by_user "), std::string::npos) << plan;
    }
    EXPECT_THROW(
        file.exec("INSERT INTO user_sessions VALUES ('7_m_3000', 7, 'm', 'Ada', 'ada', NULL, 3000, "
                  "3000, NULL, NULL, 0, NULL, NULL, NULL)"),
        error
    ) << "a session id is still unique";
    EXPECT_THROW(
        file.exec("INSERT INTO user_sessions VALUES ('7_m_4000', 7, 'm', 'Ada', 'ada', NULL, 4000, "
                  "4000, NULL, NULL, 1, NULL, NULL, NULL)"),
        error
    ) << "still one active session per user and meeting";
}

TEST_F(MigratorTest, EachMeetingBecomesItsFirstOccurrenceWithEverythingItHad) {
    const auto& all = sqlite_migrations();
    const auto path = fresh_file("occurrences.db");
    connection file(path, connection::mode::read_write);
    migrate(file, all.subspan(0, 4));
    file.exec(
        "INSERT INTO users (username, username_key, email, email_key, password_hash, role, "
        "created_at, updated_at) VALUES ('ada', 'ada', 'ada@x', 'ada@x', 'h', 'user', 1, 1);"
        "INSERT INTO meetings VALUES ('m1', 'uuid-1', 'Physics', 'host', 100, 200, 'ended', 50, "
        "60);"
        "INSERT INTO meetings VALUES ('m2', NULL, NULL, NULL, NULL, NULL, 'scheduled', 70, 80);"
        "INSERT INTO user_sessions VALUES ('1_m1_110', 1, 'm1', 'Auto-detected from token', "
        "'auto-detected from token', NULL, 110, 150, 190, 1.33, 0, 'left', NULL, NULL);"
        "INSERT INTO user_sessions VALUES ('1_m2_120', 1, 'm2', 'Ada', 'ada', NULL, 120, 120, "
        "NULL, NULL, 1, NULL, NULL, NULL);"
        "INSERT INTO zoom_participants (meeting_id, participant_key, participant_id, email, "
        "email_key, user_id, session_id, linked_by) VALUES ('m1', 'email:ada@x', 'ada@x', "
        "'ada@x', 'ada@x', 1, '1_m1_110', 'email'), ('m1', 'name:bo', 'bo', NULL, NULL, NULL, "
        "NULL, NULL);"
        "INSERT INTO zoom_participant_events VALUES (1, 110, 'join'), (1, 190, 'leave'), "
        "(2, 120, 'join');"
        "INSERT INTO zoom_deliveries VALUES ('meeting.started', 'm1', '', 100, 100), "
        "('meeting.participant_joined', 'm1', 'email:ada@x', 110, 111);"
    );
    migrate(file, all);

    const auto rows = [&file](const char* sql, int columns) {
        auto q = file.prepare(sql);
        std::string out;
        while (q.step()) {
            for (int c = 0; c < columns; ++c)
                out += (c ? "|" : "") + q.optional_text(c).value_or("-");
            out += "\n";
        }
        return out;
    };
    EXPECT_EQ(
        rows(
            "SELECT id, meeting_id, uuid, start_time, end_time, status, first_seen_at FROM "
            "meeting_occurrences ORDER BY id",
            7
        ),
        "1|m1|uuid-1|100|200|ended|50\n2|m2|-|-|-|scheduled|70\n"
    );
    EXPECT_EQ(
        rows(
            "SELECT meeting_id, topic, host_id, first_seen_at, last_seen_at FROM meetings "
            "ORDER BY 1",
            5
        ),
        "m1|Physics|host|50|60\nm2|-|-|70|80\n"
    );
    EXPECT_EQ(
        rows(
            "SELECT session_id, occurrence_id, participant_name, name_key FROM user_sessions "
            "ORDER BY 1",
            4
        ),
        "1_m1_110|1|ada|ada\n1_m2_120|2|Ada|ada\n"
    );
    EXPECT_EQ(
        rows(
            "SELECT id, occurrence_id, meeting_id, participant_key, user_id, session_id, "
            "linked_by FROM zoom_participants ORDER BY id",
            7
        ),
        "1|1|m1|email:ada@x|1|1_m1_110|email\n2|1|m1|name:bo|-|-|-\n"
    );
    EXPECT_EQ(
        rows("SELECT participant_row, at, kind FROM zoom_participant_events ORDER BY 1, 2", 3),
        "1|110|join\n1|190|leave\n2|120|join\n"
    );
    EXPECT_EQ(
        rows(
            "SELECT event, occurrence_id, participant_key, event_time FROM zoom_deliveries "
            "ORDER BY 1",
            4
        ),
        "meeting.participant_joined|1|email:ada@x|110\nmeeting.started|1||100\n"
    );
    // The same person in a second occurrence is a second participant; a redelivery is not.
    file.exec(
        "INSERT INTO zoom_participants (occurrence_id, meeting_id, participant_key, "
        "participant_id) VALUES (3, 'm1', 'email:ada@x', 'ada@x')"
    );
    EXPECT_THROW(
        file.exec("INSERT INTO zoom_participants (occurrence_id, meeting_id, participant_key, "
                  "participant_id) VALUES (1, 'm1', 'email:ada@x', 'ada@x')"),
        error
    );
    EXPECT_THROW(
        file.exec("INSERT INTO zoom_deliveries VALUES ('meeting.started', 1, '', 100, 5)"), error
    );
    EXPECT_THROW(
        file.exec("INSERT INTO meeting_occurrences (meeting_id, uuid, status, first_seen_at) "
                  "VALUES ('m1', 'uuid-1', 'live', 1)"),
        error
    ) << "a uuid names one occurrence of a meeting";
    for (const char* lookup :
         {"SELECT id FROM meeting_occurrences o WHERE o.meeting_id = ?1 ORDER BY "
          "coalesce(o.start_time, o.first_seen_at) DESC, o.id DESC LIMIT 1",
          "SELECT * FROM user_sessions WHERE occurrence_id = ?1 ORDER BY join_time"}) {
        const auto plan = query_plan(path, lookup);
        EXPECT_EQ(plan.find("SCAN"), std::string::npos) << lookup << "\n" << plan;
    }
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
