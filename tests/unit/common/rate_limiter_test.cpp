#include "common/rate_limiter.hpp"

#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace headcount {
namespace {

using namespace std::chrono_literals;
using clock_type = rate_limiter::clock_type;
using wait_time = rate_limiter::wait_time;

const clock_type::time_point t0{std::chrono::hours{1000}};

TEST(rate_limiter, a_burst_passes_then_the_next_request_waits) {
    rate_limiter limiter(60, 3);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(limiter.take("10.0.0.1", t0), std::nullopt) << "request " << i;
    EXPECT_EQ(limiter.take("10.0.0.1", t0), wait_time{1s});
    EXPECT_EQ(limiter.take("10.0.0.1", t0), wait_time{1s});
}

TEST(rate_limiter, tokens_come_back_at_the_per_minute_rate) {
    rate_limiter limiter(6, 1);  // one token every 10 s
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0), wait_time{10s});
    EXPECT_EQ(limiter.take("k", t0 + 4s), wait_time{6s});
    EXPECT_EQ(limiter.take("k", t0 + 9500ms), wait_time{1s});
    EXPECT_EQ(limiter.take("k", t0 + 10s), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0 + 10s), wait_time{10s});
}

TEST(rate_limiter, refused_requests_cost_nothing) {
    rate_limiter limiter(6, 1);
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    for (int i = 0; i < 50; ++i)
        EXPECT_TRUE(limiter.take("k", t0 + 1s));
    EXPECT_EQ(limiter.take("k", t0 + 10s), std::nullopt);
}

TEST(rate_limiter, an_idle_bucket_refills_only_up_to_the_burst) {
    rate_limiter limiter(600, 5);
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    const auto later = t0 + 1h;
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(limiter.take("k", later), std::nullopt) << "request " << i;
    EXPECT_TRUE(limiter.take("k", later));
}

TEST(rate_limiter, the_retry_after_value_is_whole_seconds_and_at_least_one) {
    rate_limiter fast(6000, 1);  // a token every 10 ms
    EXPECT_EQ(fast.take("k", t0), std::nullopt);
    EXPECT_EQ(fast.take("k", t0), wait_time{1s});
    rate_limiter slow(1, 2);  // a token a minute
    EXPECT_EQ(slow.take("k", t0), std::nullopt);
    EXPECT_EQ(slow.take("k", t0), std::nullopt);
    EXPECT_EQ(slow.take("k", t0), wait_time{60s});
    EXPECT_EQ(slow.take("k", t0 + 30s), wait_time{30s});
    EXPECT_EQ(slow.take("k", t0 + 59001ms), wait_time{1s});
}

TEST(rate_limiter, waiting_exactly_the_retry_after_is_enough_however_the_refill_was_summed) {
    rate_limiter limiter(5, 1);  // one token every 12 s, which 1/12000 per ms cannot sum exactly
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0 + 2s), wait_time{10s});
    EXPECT_EQ(limiter.take("k", t0 + 7s), wait_time{5s});
    EXPECT_EQ(limiter.wait("k", t0 + 12s), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0 + 12s), std::nullopt);
}

TEST(rate_limiter, keys_have_their_own_buckets) {
    rate_limiter limiter(60, 1);
    EXPECT_EQ(limiter.take("a", t0), std::nullopt);
    EXPECT_TRUE(limiter.take("a", t0));
    EXPECT_EQ(limiter.take("b", t0), std::nullopt);
    EXPECT_EQ(limiter.size(), 2U);
}

TEST(rate_limiter, zero_turns_the_limit_off) {
    for (const auto& [per_minute, burst] : {std::pair{0.0, 10.0}, std::pair{10.0, 0.0}}) {
        rate_limiter limiter(per_minute, burst);
        EXPECT_FALSE(limiter.enabled());
        for (int i = 0; i < 1000; ++i)
            ASSERT_EQ(limiter.take("k", t0), std::nullopt);
        EXPECT_EQ(limiter.wait("k", t0), std::nullopt);
        EXPECT_EQ(limiter.size(), 0U) << "an off limiter keeps nothing";
    }
    EXPECT_TRUE(rate_limiter(1, 1).enabled());
}

TEST(rate_limiter, wait_answers_what_take_would_without_taking) {
    rate_limiter limiter(6, 2);  // one token every 10 s
    EXPECT_EQ(limiter.wait("k", t0), std::nullopt);
    EXPECT_EQ(limiter.size(), 0U) << "an unknown key is not remembered";
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(limiter.wait("k", t0), std::nullopt) << "look " << i;
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    EXPECT_EQ(limiter.wait("k", t0), wait_time{10s});
    EXPECT_EQ(limiter.wait("k", t0 + 4s), wait_time{6s});
    EXPECT_EQ(limiter.wait("k", t0 + 10s), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0 + 10s), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0 + 10s), wait_time{10s});
}

TEST(rate_limiter, a_token_given_back_can_be_taken_again) {
    rate_limiter limiter(6, 2);
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    limiter.give_back("k", t0 + 1s);
    EXPECT_EQ(limiter.take("k", t0 + 1s), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0 + 1s), wait_time{9s}) << "the refill kept running";
}

TEST(rate_limiter, giving_back_never_fills_a_bucket_beyond_the_burst) {
    rate_limiter limiter(6, 2);
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    for (int i = 0; i < 5; ++i)
        limiter.give_back("k", t0);
    limiter.give_back("unknown", t0);
    EXPECT_EQ(limiter.size(), 1U) << "nothing to give back to an unknown key";
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0), std::nullopt);
    EXPECT_EQ(limiter.take("k", t0), wait_time{10s});
}

TEST(rate_limiter, a_flood_of_distinct_keys_stays_within_the_key_budget) {
    rate_limiter limiter(10, 10, 1600);
    for (int i = 0; i < 100000; ++i)
        limiter.take("10." + std::to_string(i), t0 + std::chrono::microseconds{i});
    EXPECT_LE(limiter.size(), 1600U);
    EXPECT_GT(limiter.size(), 0U);
}

TEST(rate_limiter, buckets_that_refilled_are_dropped_when_space_runs_short) {
    rate_limiter limiter(60, 2, 1600);  // 100 keys a shard
    // One-off visitors long ago, whose buckets have refilled since...
    for (int i = 0; i < 1000; ++i)
        limiter.take("old-" + std::to_string(i), t0);
    // ...a key being limited right now, and a new crowd that fills every shard again.
    const auto now = t0 + 10min;
    EXPECT_EQ(limiter.take("busy", now), std::nullopt);
    EXPECT_EQ(limiter.take("busy", now), std::nullopt);
    for (int i = 0; i < 1000; ++i)
        limiter.take("new-" + std::to_string(i), now);
    EXPECT_EQ(limiter.size(), 1001U) << "every refilled bucket dropped, nothing else";
    EXPECT_TRUE(limiter.take("busy", now)) << "the limited key kept its empty bucket";
}

}  // namespace
}  // namespace headcount
