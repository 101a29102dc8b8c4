#include "realtime/socketio/recovery.hpp"

#include <gtest/gtest.h>

#include "realtime/socketio/server.hpp"

namespace headcount::realtime::socketio {
namespace {

using namespace std::chrono_literals;

struct RecoveryTest : ::testing::Test {
    recovery_store store{std::chrono::seconds(120)};
    recovery_store::time_point t0 = timer_clock::time_point{} + 1000s;

    std::string log(
        const std::vector<std::string>& rooms, std::string name, recovery_store::time_point at
    ) {
        std::string offset;
        store.append(
            rooms,
            [&](std::string_view o) {
                offset = std::string(o);
                return "42[\"" + name + "\",\"" + offset + "\"]";
            },
            at
        );
        return offset;
    }

    void park(std::string pid, std::vector<std::string> rooms, recovery_store::time_point at) {
        recovery_store::saved_socket s;
        s.id = "sock-" + pid;
        s.pid = std::move(pid);
        s.nsp = "/";
        s.rooms = std::move(rooms);
        s.data = 42;
        s.position = store.position();
        store.save(std::move(s), at);
    }

    static std::vector<std::string> names(const std::vector<engineio::frame>& frames) {
        std::vector<std::string> out;
        for (const auto& f : frames)
            out.push_back(f.bytes->substr(4, f.bytes->find('"', 4) - 4));
        return out;
    }
};

TEST_F(RecoveryTest, OffsetsAreUniqueAndGrow) {
    const auto a = log({"r"}, "a", t0);
    const auto b = log({"r"}, "b", t0);
    EXPECT_NE(a, b);
    EXPECT_EQ(store.position(), 2u);
    EXPECT_EQ(store.logged(), 2u);
}

TEST_F(RecoveryTest, ReplaysWhatCameAfterTheOffsetForTheSocketsRoomsOnly) {
    const auto seen = log({"admins", "meeting:1"}, "seen", t0);
    park("p1", {"user:7"}, t0 + 1s);
    log({"admins", "meeting:1", "user:7"}, "mine", t0 + 2s);
    log({"admins", "meeting:2", "user:8"}, "other", t0 + 3s);
    log({"admins", "user:7"}, "mine2", t0 + 4s);
    auto r = store.restore("p1", seen, "/", t0 + 5s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->socket.id, "sock-p1");
    EXPECT_EQ(r->socket.rooms, std::vector<std::string>{"user:7"});
    EXPECT_EQ(std::any_cast<int>(r->socket.data), 42);
    EXPECT_EQ(names(r->missed), (std::vector<std::string>{"mine", "mine2"}));
    EXPECT_FALSE(store.restore("p1", seen, "/", t0 + 5s)) << "a pid is used once";
}

TEST_F(RecoveryTest, WithoutAnOffsetReplaysEverythingSinceTheFirstConnection) {
    log({"admins"}, "before", t0);
    park("p1", {"admins"}, t0 + 1s);
    log({"admins"}, "during", t0 + 2s);
    auto r = store.restore("p1", std::nullopt, "/", t0 + 3s);
    ASSERT_TRUE(r);
    EXPECT_EQ(names(r->missed), std::vector<std::string>{"during"});
}

TEST_F(RecoveryTest, RefusesUnknownPidsForeignOffsetsAndOtherNamespaces) {
    const auto seen = log({"admins"}, "a", t0);
    park("p1", {"admins"}, t0);
    EXPECT_FALSE(store.restore("nope", seen, "/", t0));
    EXPECT_FALSE(store.restore("p1", seen, "/other", t0));
    EXPECT_FALSE(store.restore("p1", "0000.1", "/", t0));
    EXPECT_FALSE(store.restore("p1", seen + "9", "/", t0)) << "an offset from the future";
    EXPECT_FALSE(store.restore("p1", "", "/", t0));
    EXPECT_TRUE(store.restore("p1", seen, "/", t0));
}

TEST_F(RecoveryTest, ForgetsSocketsAndEventsAfterTheWindow) {
    log({"admins"}, "old", t0);
    park("p1", {"admins"}, t0);
    park("p2", {"admins"}, t0 + 100s);
    log({"admins"}, "new", t0 + 119s);
    EXPECT_FALSE(store.restore("p1", std::nullopt, "/", t0 + 121s));
    auto r = store.restore("p2", std::nullopt, "/", t0 + 121s);
    ASSERT_TRUE(r);
    EXPECT_EQ(names(r->missed), std::vector<std::string>{"new"});
    EXPECT_EQ(store.logged(), 1u);
    EXPECT_EQ(store.saved(), 0u);
}

}  // namespace
}  // namespace headcount::realtime::socketio

namespace headcount::realtime::socketio {
namespace {

TEST(RecoveryBroadcast, AnEventNobodyCanReceiveIsNotLoggedOneForAParkedSocketIs) {
    server srv(server_settings{std::chrono::milliseconds(45000), std::chrono::seconds(120)});
    auto& main = srv.add_namespace("/");
    auto& store = *srv.recovery();
    const boost::json::object payload{{"meetingId", "m1"}};
    EXPECT_EQ(main.broadcast({"admins"}, "userJoinedMeeting", payload), 0u);
    EXPECT_EQ(store.logged(), 0u) << "no socket connected or parked";
    recovery_store::saved_socket parked;
    parked.id = "s1";
    parked.pid = "p1";
    parked.nsp = "/";
    parked.rooms = {"admins"};
    store.save(parked, timer_clock::now());
    EXPECT_EQ(main.broadcast({"admins"}, "userJoinedMeeting", payload), 0u);
    EXPECT_EQ(store.logged(), 1u);
    auto back = store.restore("p1", std::nullopt, "/", timer_clock::now());
    ASSERT_TRUE(back);
    ASSERT_EQ(back->missed.size(), 1u);
    EXPECT_NE(
        back->missed[0].bytes->find("\"userJoinedMeeting\",{\"meetingId\":\"m1\"}"),
        std::string::npos
    );
}

TEST(RecoveryBroadcast, APayloadIsAskedForOnlyWhenSomeoneCanReceiveTheEvent) {
    server srv(server_settings{std::chrono::milliseconds(45000), std::chrono::seconds(120)});
    auto& main = srv.add_namespace("/");
    const boost::json::object payload{{"meetingId", "m1"}};
    int asked = 0;
    const auto lazily = [&]() -> const boost::json::object& {
        ++asked;
        return payload;
    };
    EXPECT_EQ(main.broadcast({"admins"}, "userJoinedMeeting", lazily), 0u);
    EXPECT_EQ(asked, 0) << "no socket connected or parked";
    recovery_store::saved_socket parked;
    parked.id = "s1";
    parked.pid = "p1";
    parked.nsp = "/";
    parked.rooms = {"admins"};
    srv.recovery()->save(parked, timer_clock::now());
    EXPECT_EQ(main.broadcast({"admins"}, "userJoinedMeeting", lazily), 0u);
    EXPECT_EQ(asked, 1) << "logged for the parked socket";
}

}  // namespace
}  // namespace headcount::realtime::socketio
