#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "realtime/engineio/session.hpp"

namespace headcount::realtime::engineio {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;
using clock_type = session::clock;

/// Records what a session hands its connection.
struct recorder final : application {
    struct conn final : connection {
        explicit conn(recorder& r) : owner(r) {}
        void on_message(packet& m) override { owner.messages.push_back(m.data); }
        void on_close(close_reason why) override {
            owner.closed = why;
            owner.closed_at = clock_type::now();
        }
        void on_alarm() override { owner.alarm_at = clock_type::now(); }
        recorder& owner;
    };
    std::unique_ptr<connection> open(session&) override { return std::make_unique<conn>(*this); }

    std::vector<std::string> messages;
    std::optional<close_reason> closed;
    clock_type::time_point closed_at;
    std::optional<clock_type::time_point> alarm_at;
};

struct SessionTest : ::testing::Test {
    SessionTest() {
        config.ping_interval = 40ms;
        config.ping_timeout = 30ms;
        config.send_queue_limit = 3;
        config.strands = 1;
    }

    std::shared_ptr<session> open_polling() {
        registry.emplace(ioc, config, app, dropped);
        auto s = registry->create(registry->next_strand(), false, {"EIO=4", ""});
        started = clock_type::now();
        net::post(s->strand(), [s] { s->start(); });
        ioc.run_for(5ms);
        return s;
    }

    /// Runs `f` on the session's strand and the loop until it is done.
    template <class F>
    void on_strand(const std::shared_ptr<session>& s, F f) {
        net::post(s->strand(), f);
        ioc.run_for(2ms);
    }

    net::io_context ioc;
    settings config;
    recorder app;
    std::atomic<std::uint64_t> dropped{0};
    std::optional<session_registry> registry;
    clock_type::time_point started;
};

TEST_F(SessionTest, AnIdleSessionIsClosedAtPingIntervalPlusPingTimeout) {
    auto s = open_polling();
    ioc.run_for(150ms);
    ASSERT_EQ(app.closed, close_reason::ping_timeout);
    const auto after = app.closed_at - started;
    // Never early; late only by what a loaded machine's scheduler adds.
    EXPECT_GE(after, 69ms);
    EXPECT_LT(after, 120ms);
    EXPECT_EQ(registry->find(s->id()), nullptr);
}

TEST_F(SessionTest, APongPostponesTheNextPing) {
    config.send_queue_limit = 100;  // the pings pile up: this client never polls
    auto s = open_polling();
    pending_poll poll(s->strand());
    on_strand(s, [&] { ASSERT_FALSE(s->begin_poll(poll)); });
    EXPECT_TRUE(poll.answered);
    EXPECT_EQ(poll.body.substr(0, 8), R"(0{"sid":)");
    for (int i = 0; i < 4; ++i) {
        ioc.run_for(45ms);
        on_strand(s, [&] { EXPECT_TRUE(s->receive_payload("3")); });
    }
    EXPECT_FALSE(app.closed) << "pongs keep it alive past many intervals";
    ioc.run_for(80ms);
    EXPECT_EQ(app.closed, close_reason::ping_timeout);
}

TEST_F(SessionTest, AHeldGetIsAnsweredWithEverythingQueued) {
    auto s = open_polling();
    pending_poll first(s->strand());
    on_strand(s, [&] { s->begin_poll(first); });
    pending_poll held(s->strand());
    on_strand(s, [&] {
        s->end_poll(first, false);
        ASSERT_FALSE(s->begin_poll(held));
    });
    EXPECT_FALSE(held.answered);
    on_strand(s, [&] {
        EXPECT_TRUE(
            s->receive_payload("4a\x1e"
                               "4b")
        );
    });
    EXPECT_EQ(app.messages, (std::vector<std::string>{"a", "b"}));
    on_strand(s, [&] { s->send(message_frame("out")); });
    EXPECT_TRUE(held.answered);
    EXPECT_EQ(held.body, "4out");
}

TEST_F(SessionTest, ASecondGetClosesTheSessionAndTheFirstGetsTheClosePacket) {
    auto s = open_polling();
    pending_poll open(s->strand());
    on_strand(s, [&] {
        s->begin_poll(open);
        s->end_poll(open, false);
    });
    pending_poll first(s->strand());
    pending_poll second(s->strand());
    std::optional<request_error> refused;
    on_strand(s, [&] {
        s->begin_poll(first);
        refused = s->begin_poll(second);
    });
    EXPECT_EQ(refused, request_error::bad_request);
    EXPECT_EQ(first.body, "1");
    EXPECT_EQ(app.closed, close_reason::transport_error);
}

TEST_F(SessionTest, AClientCloseReleasesTheHeldGetWithANoop) {
    auto s = open_polling();
    pending_poll open(s->strand());
    pending_poll held(s->strand());
    on_strand(s, [&] {
        s->begin_poll(open);
        s->end_poll(open, false);
        s->begin_poll(held);
        s->receive_payload("1");
    });
    EXPECT_EQ(held.body, "6");
    EXPECT_EQ(app.closed, close_reason::client_close);
}

TEST_F(SessionTest, AFullQueueDropsTheSessionAndCountsIt) {
    auto s = open_polling();  // the open packet is queued: 1 of 3
    bool third = false;
    bool fourth = true;
    on_strand(s, [&] {
        s->send(message_frame("1"));
        third = s->send(message_frame("2"));
        fourth = s->send(message_frame("3"));
    });
    EXPECT_TRUE(third);
    EXPECT_FALSE(fourth);
    EXPECT_EQ(dropped.load(), 1u);
    EXPECT_EQ(app.closed, close_reason::slow_consumer);
}

TEST_F(SessionTest, AnAlarmFiresOnTimeAndCanBeCleared) {
    auto s = open_polling();
    const auto set_at = clock_type::now();
    on_strand(s, [&] { s->set_alarm(clock_type::now() + 20ms); });
    ioc.run_for(70ms);
    ASSERT_TRUE(app.alarm_at);
    EXPECT_GE(*app.alarm_at - set_at, 19ms);
    EXPECT_LT(*app.alarm_at - set_at, 60ms);
    app.alarm_at.reset();
    on_strand(s, [&] {
        s->set_alarm(clock_type::now() + 10ms);
        s->set_alarm(clock_type::time_point::max());
    });
    ioc.run_for(20ms);
    EXPECT_FALSE(app.alarm_at);
}

}  // namespace
}  // namespace headcount::realtime::engineio
