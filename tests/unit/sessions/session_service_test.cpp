#include "sessions/session_service.hpp"

#include <atomic>
#include <map>

#include <gtest/gtest.h>

#include "bus/local_event_bus.hpp"
#include "common/time_format.hpp"
#include "support/storage_fixture.hpp"

namespace headcount::sessions {
namespace {

using namespace std::chrono_literals;

/// The session life cycle on real storage (SQLite, and PostgreSQL when given), with a subscriber on
/// the in-process event bus recording what was announced.
class session_service_test : public testing::storage_fixture {
protected:
    session_service_test()
        : bus_(published_), service_(clock, config::session_settings{1800s, 60s}) {
        bus_.on_deliver([this](const domain_event& e) { delivered_.push_back(e); });
        alice_ = add_user("alice", auth::role::user);
        bob_ = add_user("bob", auth::role::user);
        admin_ = add_user("root", auth::role::admin);
    }

    auth::user add_user(const std::string& name, auth::role role) {
        return repos->sessions()
            .users.insert({name, name + "@example.com", role, "not-a-real-hash"})
            .value();
    }

    /// One occurrence per meeting, as the attendance domain would open for sessions.
    class one_occurrence_each final : public occurrence_chooser {
    public:
        explicit one_occurrence_each(attendance::occurrence_repository& occurrences)
            : occurrences_(occurrences) {}
        occurrence_id for_new_session(const meeting_id& meeting, timestamp at) override {
            auto [it, added] = ids_.try_emplace(meeting.value());
            if (added) {
                attendance::occurrence o;
                o.meeting = meeting;
                o.first_seen = at;
                it->second = occurrences_.insert(o);
            }
            return it->second;
        }
        /// A next occurrence of the meeting, for the sessions that start from now on.
        void next(const meeting_id& meeting) { ids_.erase(meeting.value()); }

    private:
        attendance::occurrence_repository& occurrences_;
        std::map<std::string, occurrence_id> ids_;
    };

    join_result join(
        const auth::user& u, const std::string& meeting, std::optional<std::string> name = {}
    ) {
        return service_.join(
            repos->sessions(), bus_, u, {meeting_id{meeting}, std::move(name), "laptop"},
            occurrences_
        );
    }

    std::vector<const domain_event*> delivered(std::string_view name) const {
        std::vector<const domain_event*> out;
        for (const auto& e : delivered_) {
            if (e.name == name)
                out.push_back(&e);
        }
        return out;
    }

    session stored(const session_id& id) { return repos->sessions().sessions.find(id).value(); }

    static std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

    std::atomic<std::uint64_t> published_{0};
    bus::local_event_bus bus_;
    std::vector<domain_event> delivered_;
    session_service service_;
    one_occurrence_each occurrences_{repos->attendance().occurrences};
    auth::user alice_;
    auth::user bob_;
    auth::user admin_;
};

TEST_F(session_service_test, join_stores_an_active_session_and_announces_it_once) {
    const auto r = join(alice_, "900100", "Alice A.");
    EXPECT_TRUE(r.created);
    EXPECT_EQ(r.joined.id.value(), std::to_string(alice_.id.value()) + "_900100_1767261600000");
    const auto s = stored(r.joined.id);
    EXPECT_TRUE(s.active);
    EXPECT_EQ(s.participant_name, "Alice A.");
    EXPECT_EQ(s.device, "laptop");
    EXPECT_EQ(s.join_time, clock.now());
    EXPECT_EQ(s.last_activity, clock.now());
    EXPECT_FALSE(s.reason);

    const auto joined = delivered("userJoinedMeeting");
    ASSERT_EQ(joined.size(), 1U);
    ASSERT_EQ(delivered_.size(), 1U);
    EXPECT_EQ(published_.load(), 1U);
    const auto& e = *joined.front();
    EXPECT_EQ(e.meeting_id, "900100");
    EXPECT_EQ(e.user_ids, std::vector<std::string>{std::to_string(alice_.id.value())});
    const auto& p = e.payload.get();
    EXPECT_EQ(p.size(), 7U);
    EXPECT_EQ(str(p.at("sessionId")), r.joined.id.value());
    EXPECT_EQ(str(p.at("occurrenceId")), std::to_string(r.joined.occurrence.value()));
    EXPECT_EQ(str(p.at("meetingId")), "900100");
    EXPECT_EQ(str(p.at("joinTime")), "2026-01-01T10:00:00.000Z");
    EXPECT_TRUE(p.at("student").is_null());
    EXPECT_EQ(str(p.at("user").at("id")), std::to_string(alice_.id.value()));
    EXPECT_EQ(str(p.at("user").at("username")), "alice");
    EXPECT_EQ(str(p.at("user").at("role")), "user");
    EXPECT_EQ(str(p.at("participantData").at("participantName")), "Alice A.");
    EXPECT_EQ(str(p.at("participantData").at("device")), "laptop");
}

TEST_F(session_service_test, the_participant_name_defaults_to_the_username) {
    const auto r = join(alice_, "900100");
    EXPECT_EQ(stored(r.joined.id).participant_name, "alice");
}

TEST_F(session_service_test, the_seed_pages_placeholder_name_stands_for_the_username) {
    const auto r = join(alice_, "900100", "Auto-detected from token");
    const auto s = stored(r.joined.id);
    EXPECT_EQ(s.participant_name, "alice");
    EXPECT_EQ(s.name_key, "alice");
    EXPECT_EQ(
        str(delivered("userJoinedMeeting")
                .front()
                ->payload.get()
                .at("participantData")
                .at("participantName")),
        "alice"
    );
}

TEST_F(session_service_test, join_is_idempotent_while_the_session_is_active) {
    const auto first = join(alice_, "900100");
    clock.advance(5s);
    const auto again = join(alice_, "900100");
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.joined.id, first.joined.id);
    EXPECT_EQ(again.joined.join_time, first.joined.join_time);
    EXPECT_EQ(stored(first.joined.id).last_activity, clock.now());
    EXPECT_EQ(delivered("userJoinedMeeting").size(), 1U);
    EXPECT_EQ(service_.sessions_of(repos->sessions(), alice_.id, {}).size(), 1U);
}

TEST_F(session_service_test, the_student_matched_at_join_is_answered_again_on_the_idempotent_join) {
    repos->sessions().students.upsert(
        index_student({student_id{42}, "Alice", "Able", "Math", "alice@uni.edu"})
    );
    const auto first = join(alice_, "900100");
    ASSERT_TRUE(first.student);
    EXPECT_EQ(first.student->rule, match_rule::email_local_part);
    const auto& p = delivered("userJoinedMeeting").front()->payload.get();
    EXPECT_EQ(p.at("student").at("studentId").as_int64(), 42);
    EXPECT_EQ(str(p.at("student").at("matchedBy")), "email-local-part");

    const auto again = join(alice_, "900100");
    ASSERT_TRUE(again.student);
    EXPECT_EQ(again.student->who.id, student_id{42});
    EXPECT_EQ(again.student->rule, match_rule::email_local_part);
}

TEST_F(session_service_test, the_owner_leaves_with_the_duration_in_minutes) {
    const auto r = join(alice_, "900100");
    clock.advance(90s);
    const auto left = service_.leave(repos->sessions(), bus_, alice_, r.joined.id);
    ASSERT_TRUE(left);
    EXPECT_FALSE(left->active);
    EXPECT_EQ(left->leave_time, clock.now());
    EXPECT_DOUBLE_EQ(left->duration_minutes.value(), 1.5);
    EXPECT_EQ(left->reason, end_reason::left);
    const auto s = stored(r.joined.id);
    EXPECT_FALSE(s.active);
    EXPECT_EQ(s.reason, end_reason::left);
    EXPECT_DOUBLE_EQ(s.duration_minutes.value(), 1.5);

    const auto left_events = delivered("userLeftMeeting");
    ASSERT_EQ(left_events.size(), 1U);
    const auto& p = left_events.front()->payload.get();
    EXPECT_EQ(p.size(), 7U);
    EXPECT_EQ(str(p.at("sessionId")), r.joined.id.value());
    EXPECT_EQ(str(p.at("occurrenceId")), std::to_string(r.joined.occurrence.value()));
    EXPECT_EQ(str(p.at("meetingId")), "900100");
    EXPECT_EQ(str(p.at("user").at("username")), "alice");
    EXPECT_EQ(str(p.at("leaveTime")), "2026-01-01T10:01:30.000Z");
    EXPECT_DOUBLE_EQ(p.at("duration").as_double(), 1.5);
    EXPECT_EQ(str(p.at("reason")), "left");
    EXPECT_EQ(
        left_events.front()->user_ids, std::vector<std::string>{std::to_string(alice_.id.value())}
    );
}

TEST_F(session_service_test, someone_elses_session_looks_like_none) {
    const auto r = join(alice_, "900100");
    const auto left = service_.leave(repos->sessions(), bus_, bob_, r.joined.id);
    ASSERT_FALSE(left);
    EXPECT_EQ(left.error().code, errc::no_active_session);
    EXPECT_EQ(left.error().message, "No active session found");
    EXPECT_TRUE(stored(r.joined.id).active);
    EXPECT_TRUE(delivered("userLeftMeeting").empty());
}

TEST_F(session_service_test, an_admin_ends_anyones_session_and_the_event_names_the_owner) {
    const auto r = join(alice_, "900100");
    const auto left = service_.leave(repos->sessions(), bus_, admin_, r.joined.id);
    ASSERT_TRUE(left);
    const auto left_events = delivered("userLeftMeeting");
    ASSERT_EQ(left_events.size(), 1U);
    EXPECT_EQ(str(left_events.front()->payload.get().at("user").at("username")), "alice");
    EXPECT_EQ(
        left_events.front()->user_ids, std::vector<std::string>{std::to_string(alice_.id.value())}
    );
}

TEST_F(session_service_test, an_ended_or_unknown_session_cannot_be_left) {
    const auto r = join(alice_, "900100");
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, alice_, r.joined.id));
    const auto twice = service_.leave(repos->sessions(), bus_, alice_, r.joined.id);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, errc::no_active_session);
    const auto unknown = service_.leave(repos->sessions(), bus_, admin_, session_id{"1_x_1"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, errc::no_active_session);
    EXPECT_EQ(delivered("userLeftMeeting").size(), 1U);
}

TEST_F(session_service_test, a_rejoin_in_the_same_millisecond_gets_the_next_id) {
    const auto first = join(alice_, "900100");
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, alice_, first.joined.id));
    const auto second = join(alice_, "900100");
    EXPECT_TRUE(second.created);
    EXPECT_NE(second.joined.id, first.joined.id);
    EXPECT_EQ(second.joined.join_time, clock.now() + 1ms);
    EXPECT_EQ(delivered("userJoinedMeeting").size(), 2U);
}

TEST_F(session_service_test, the_heartbeat_moves_last_activity_for_the_owner_only) {
    const auto r = join(alice_, "900100");
    clock.advance(30s);
    const auto at = service_.record_activity(repos->sessions(), alice_, r.joined.id);
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, clock.now());
    EXPECT_EQ(stored(r.joined.id).last_activity, clock.now());

    clock.advance(30s);
    const auto other = service_.record_activity(repos->sessions(), bob_, r.joined.id);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, errc::no_active_session);
    EXPECT_EQ(stored(r.joined.id).last_activity, clock.now() - 30s);

    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, alice_, r.joined.id));
    EXPECT_FALSE(service_.record_activity(repos->sessions(), alice_, r.joined.id));
    EXPECT_TRUE(delivered_.size() == 2U);  // the join and the leave; heartbeats announce nothing
}

TEST_F(session_service_test, expiry_ends_idle_sessions_at_their_last_activity) {
    const auto idle = join(alice_, "900100");
    const auto busy = join(bob_, "900100");
    clock.advance(20min);
    ASSERT_TRUE(service_.record_activity(repos->sessions(), alice_, idle.joined.id));
    const auto alice_last = clock.now();
    clock.advance(15min);
    ASSERT_TRUE(service_.record_activity(repos->sessions(), bob_, busy.joined.id));
    clock.advance(16min);  // alice idle 31 min, bob 16 min

    const auto expired = service_.expire_idle(repos->sessions(), bus_);
    ASSERT_TRUE(expired);
    EXPECT_EQ(*expired, 1U);
    const auto s = stored(idle.joined.id);
    EXPECT_FALSE(s.active);
    EXPECT_EQ(s.reason, end_reason::expired);
    EXPECT_EQ(s.leave_time, alice_last);
    EXPECT_DOUBLE_EQ(s.duration_minutes.value(), 20.0);
    EXPECT_TRUE(stored(busy.joined.id).active);

    const auto left_events = delivered("userLeftMeeting");
    ASSERT_EQ(left_events.size(), 1U);
    const auto& p = left_events.front()->payload.get();
    EXPECT_EQ(str(p.at("reason")), "expired");
    EXPECT_EQ(str(p.at("leaveTime")), format_iso(alice_last));
    EXPECT_DOUBLE_EQ(p.at("duration").as_double(), 20.0);
    EXPECT_EQ(str(p.at("user").at("username")), "alice");

    const auto st = service_.stats(repos->sessions());
    EXPECT_EQ(st.sessions_expired, 1);
    EXPECT_EQ(st.last_cleanup, clock.now());
}

TEST_F(session_service_test, a_session_idle_for_exactly_the_timeout_is_kept) {
    const auto r = join(alice_, "900100");
    clock.advance(1800s);
    EXPECT_EQ(service_.expire_idle(repos->sessions(), bus_), std::optional<std::size_t>{0});
    EXPECT_TRUE(stored(r.joined.id).active);
    clock.advance(30s);  // the next pass: half an interval later
    EXPECT_EQ(service_.expire_idle(repos->sessions(), bus_), std::optional<std::size_t>{1});
    EXPECT_EQ(stored(r.joined.id).leave_time, r.joined.join_time);
}

TEST_F(session_service_test, only_one_pass_runs_per_half_interval_on_one_database) {
    join(alice_, "900100");
    clock.advance(31min);
    // A second service over the same file stands for a second instance.
    const session_service other(clock, service_.settings());
    ASSERT_EQ(service_.expire_idle(repos->sessions(), bus_), std::optional<std::size_t>{1});
    EXPECT_EQ(other.expire_idle(repos->sessions(), bus_), std::nullopt);
    clock.advance(29s);
    EXPECT_EQ(other.expire_idle(repos->sessions(), bus_), std::nullopt);
    clock.advance(1s);
    EXPECT_EQ(other.expire_idle(repos->sessions(), bus_), std::optional<std::size_t>{0});
    EXPECT_EQ(delivered("userLeftMeeting").size(), 1U);
    EXPECT_EQ(service_.stats(repos->sessions()).last_cleanup, clock.now());
}

TEST_F(session_service_test, ending_a_meeting_ends_its_active_sessions_only) {
    const auto a = join(alice_, "900100");
    const auto b = join(bob_, "900100");
    const auto elsewhere = join(alice_, "900200");
    const auto gone = join(admin_, "900100");
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, admin_, gone.joined.id));
    clock.advance(10min);
    delivered_.clear();

    EXPECT_EQ(service_.end_meeting(repos->sessions(), bus_, admin_, meeting_id{"900100"}), 2U);
    for (const auto& id : {a.joined.id, b.joined.id}) {
        const auto s = stored(id);
        EXPECT_FALSE(s.active);
        EXPECT_EQ(s.reason, end_reason::meeting_ended);
        EXPECT_EQ(s.leave_time, clock.now());
        EXPECT_DOUBLE_EQ(s.duration_minutes.value(), 10.0);
    }
    EXPECT_TRUE(stored(elsewhere.joined.id).active);
    EXPECT_EQ(stored(gone.joined.id).reason, end_reason::left);

    const auto left = delivered("userLeftMeeting");
    ASSERT_EQ(left.size(), 2U);
    for (const auto* e : left)
        EXPECT_EQ(str(e->payload.get().at("reason")), "meeting-ended");
    const auto ended = delivered("meetingSessionsEnded");
    ASSERT_EQ(ended.size(), 1U);
    const auto& p = ended.front()->payload.get();
    EXPECT_EQ(p.size(), 4U);
    EXPECT_EQ(str(p.at("meetingId")), "900100");
    EXPECT_EQ(p.at("endedCount").to_number<std::int64_t>(), 2);
    EXPECT_EQ(str(p.at("endedBy").at("id")), std::to_string(admin_.id.value()));
    EXPECT_EQ(str(p.at("endedBy").at("username")), "root");
    EXPECT_EQ(str(p.at("at")), "2026-01-01T10:10:00.000Z");
    auto users = ended.front()->user_ids;
    std::sort(users.begin(), users.end());
    auto expected = std::vector<std::string>{
        std::to_string(alice_.id.value()), std::to_string(bob_.id.value())};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(users, expected);
    EXPECT_EQ(delivered_.size(), 3U);
}

TEST_F(session_service_test, zoom_ending_an_occurrence_ends_its_sessions_at_the_end_time) {
    const auto a = join(alice_, "900100");
    const auto occurrence = a.joined.occurrence;
    clock.advance(1min);
    const auto b = join(bob_, "900100");
    occurrences_.next(meeting_id{"900100"});
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, alice_, a.joined.id));
    const auto later = join(alice_, "900100");
    ASSERT_NE(later.joined.occurrence, occurrence);
    clock.advance(30min);
    delivered_.clear();

    const auto end = clock.now() - 5min;
    EXPECT_EQ(
        service_.end_occurrence(repos->sessions(), bus_, meeting_id{"900100"}, occurrence, end), 1U
    );
    const auto s = stored(b.joined.id);
    EXPECT_FALSE(s.active);
    EXPECT_EQ(s.reason, end_reason::meeting_ended);
    EXPECT_EQ(s.leave_time, end);
    EXPECT_DOUBLE_EQ(s.duration_minutes.value(), 25.0);
    EXPECT_TRUE(stored(later.joined.id).active) << "the next occurrence's session goes on";

    const auto left = delivered("userLeftMeeting");
    ASSERT_EQ(left.size(), 1U);
    EXPECT_EQ(str(left.front()->payload.get().at("reason")), "meeting-ended");
    EXPECT_EQ(str(left.front()->payload.get().at("leaveTime")), format_iso(end));
    const auto ended = delivered("meetingSessionsEnded");
    ASSERT_EQ(ended.size(), 1U);
    const auto& p = ended.front()->payload.get();
    EXPECT_EQ(str(p.at("meetingId")), "900100");
    EXPECT_EQ(str(p.at("occurrenceId")), std::to_string(occurrence.value()));
    EXPECT_EQ(p.at("endedCount").to_number<std::int64_t>(), 1);
    EXPECT_TRUE(p.at("endedBy").at("id").is_null());
    EXPECT_EQ(str(p.at("endedBy").at("username")), "Zoom");
    EXPECT_EQ(str(p.at("at")), format_iso(end));
    EXPECT_EQ(ended.front()->user_ids, std::vector<std::string>{std::to_string(bob_.id.value())});
}

TEST_F(session_service_test, a_session_that_joined_after_zooms_end_time_leaves_when_it_joined) {
    const auto a = join(alice_, "900100");
    const auto occurrence = a.joined.occurrence;
    service_.end_occurrence(
        repos->sessions(), bus_, meeting_id{"900100"}, occurrence, clock.now() - 1min
    );
    const auto s = stored(a.joined.id);
    EXPECT_EQ(s.leave_time, s.join_time);
    EXPECT_DOUBLE_EQ(s.duration_minutes.value(), 0.0);
}

TEST_F(session_service_test, my_sessions_are_newest_first_and_filtered) {
    std::vector<session_id> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(join(alice_, "m" + std::to_string(i)).joined.id);
        clock.advance(1min);
    }
    join(bob_, "m0");
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, alice_, ids[1]));
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, alice_, ids[3]));

    const auto ids_of = [](const std::vector<session>& list) {
        std::vector<session_id> out;
        for (const auto& s : list)
            out.push_back(s.id);
        return out;
    };
    auto& store = repos->sessions();
    EXPECT_EQ(
        ids_of(service_.sessions_of(store, alice_.id, {})),
        (std::vector<session_id>{ids[3], ids[2], ids[1], ids[0]})
    );
    EXPECT_EQ(
        ids_of(service_.sessions_of(store, alice_.id, {true, 50, {}})),
        (std::vector<session_id>{ids[2], ids[0]})
    );
    EXPECT_EQ(
        ids_of(service_.sessions_of(store, alice_.id, {false, 50, {}})),
        (std::vector<session_id>{ids[3], ids[1]})
    );
    EXPECT_EQ(
        ids_of(service_.sessions_of(store, alice_.id, {{}, 2, {}})),
        (std::vector<session_id>{ids[3], ids[2]})
    );
    const auto third_join = stored(ids[2]).join_time;
    EXPECT_EQ(
        ids_of(service_.sessions_of(store, alice_.id, {{}, 50, third_join})),
        (std::vector<session_id>{ids[1], ids[0]})
    );
}

TEST_F(session_service_test, stats_count_the_active_sessions) {
    repos->sessions().students.upsert(
        index_student({student_id{42}, "Alice", "Able", "Math", "alice@uni.edu"})
    );
    join(alice_, "m1");
    join(alice_, "m2");
    const auto b = join(bob_, "m1");
    join(admin_, "m3");
    ASSERT_TRUE(service_.leave(repos->sessions(), bus_, bob_, b.joined.id));

    const auto st = service_.stats(repos->sessions());
    EXPECT_EQ(st.total_active, 3);
    EXPECT_EQ(st.active_users, 2);
    EXPECT_EQ(st.active_meetings, 3);
    EXPECT_EQ(st.active_admins, 1);
    EXPECT_EQ(st.active_plain_users, 1);
    EXPECT_EQ(st.students_with_sessions, 1);
    EXPECT_EQ(st.sessions_expired, 0);
    EXPECT_FALSE(st.last_cleanup);
}

TEST_F(session_service_test, minutes_are_rounded_to_two_decimals) {
    EXPECT_DOUBLE_EQ(minutes_between(clock.now(), clock.now() + 61s), 1.02);
    EXPECT_DOUBLE_EQ(minutes_between(clock.now(), clock.now() + 1h), 60.0);
    EXPECT_DOUBLE_EQ(minutes_between(clock.now(), clock.now()), 0.0);
}

}  // namespace
}  // namespace headcount::sessions
