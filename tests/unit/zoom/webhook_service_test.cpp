#include "zoom/webhook_service.hpp"

#include <gtest/gtest.h>

#include "attendance/occurrence_service.hpp"
#include "attendance/registration_service.hpp"
#include "common/json.hpp"
#include "support/storage_fixture.hpp"

namespace headcount::zoom {
namespace {

using attendance::attendance_service;

/// Deliveries applied to a real SQLite file, one transaction each, with the events captured.
class webhook_service_test : public testing::storage_fixture {
protected:
    webhook_service_test()
        : attendance_(clock, config::attendance_settings{}),
          sessions_(clock, config::session_settings{}),
          occurrences_(clock, attendance_, sessions_),
          registration_(sessions_, occurrences_),
          service_(clock, occurrences_, "secret") {}

    boost::json::object deliver(const std::string& body) {
        auto event = parse_webhook(*json::parse(body)).value();
        return service_.apply(repos->attendance(), events, event).value();
    }

    std::string joined(
        const std::string& meeting, const std::string& email, const std::string& at
    ) {
        return R"({"event":"meeting.participant_joined","event_ts":1,"payload":{"object":{"id":)" +
               meeting +
               R"(,"topic":"Physics","participant":{"user_id":"1","user_name":"Ann Lee","id":"","email":")" +
               email + R"(","join_time":")" + at + R"("}}}})";
    }
    std::string left(const std::string& meeting, const std::string& email, const std::string& at) {
        return R"({"event":"meeting.participant_left","payload":{"object":{"id":")" + meeting +
               R"(","participant":{"user_id":"2","user_name":"Ann Lee","email":")" + email +
               R"(","leave_time":")" + at + R"("}}}})";
    }

    attendance_service attendance_;
    sessions::session_service sessions_;
    attendance::occurrence_service occurrences_;
    attendance::registration_service registration_;
    webhook_service service_;
};

TEST_F(webhook_service_test, a_join_is_stored_once_and_announced_once) {
    auto answer = deliver(joined("111", "ann@x.org", "2026-01-01T09:00:00Z"));
    EXPECT_EQ(
        json::to_string(answer),
        R"({"success":true,"event":"meeting.participant_joined","meetingId":"111"})"
    );
    auto again = deliver(joined("111", "ann@x.org", "2026-01-01T09:00:00Z"));
    EXPECT_TRUE(again.at("duplicate").as_bool());

    const auto announced = events.named("zoomParticipantJoined");
    ASSERT_EQ(announced.size(), 1U);
    EXPECT_EQ(announced[0]->meeting_id, "111");
    EXPECT_TRUE(announced[0]->user_ids.empty()) << "Zoom events go to admins only";
    const auto& participant = announced[0]->payload.get().at("participant").as_object();
    EXPECT_EQ(participant.at("participantId").as_string(), "ann@x.org");
    EXPECT_EQ(participant.at("isActive").as_bool(), true);
    EXPECT_EQ(participant.at("source").as_string(), "zoom");
    EXPECT_EQ(participant.at("joinTime").as_string(), "2026-01-01T09:00:00.000Z");

    deliver(left("111", "ann@x.org", "2026-01-01T09:30:00Z"));
    const auto gone = events.named("zoomParticipantLeft");
    ASSERT_EQ(gone.size(), 1U);
    EXPECT_EQ(gone[0]->payload.get().at("participant").at("duration").to_number<double>(), 30.0);
    EXPECT_EQ(gone[0]->payload.get().at("participant").at("isActive").as_bool(), false);
}

TEST_F(webhook_service_test, linking_raises_participant_linked_once_for_the_user) {
    auto& users = repos->sessions().users;
    const auto user = users.insert({"ann", "ann@x.org", auth::role::user, "hash"}).value();
    const auto joined_session = registration_.join(
        repos->attendance(), events, user, {meeting_id{"222"}, std::nullopt, std::nullopt}
    );
    EXPECT_TRUE(events.named("participantLinked").empty());

    deliver(joined("222", "ANN@x.org", "2026-01-01T09:00:00Z"));
    deliver(joined("222", "ANN@x.org", "2026-01-01T09:05:00Z"));
    const auto linked = events.named("participantLinked");
    ASSERT_EQ(linked.size(), 1U);
    EXPECT_EQ(linked[0]->user_ids, std::vector<std::string>{std::to_string(user.id.value())});
    EXPECT_EQ(
        json::to_string(linked[0]->payload.get()),
        R"({"meetingId":"222","occurrenceId":")" +
            std::to_string(
                repos->sessions().sessions.find(joined_session.joined.id)->occurrence.value()
            ) +
            R"(","sessionId":")" + joined_session.joined.id.value() + R"(","userId":")" +
            std::to_string(user.id.value()) +
            R"(","linkedBy":"email","participant":{"participantId":"ann@x.org","participantName":"Ann Lee","email":"ANN@x.org","zoomUserId":null}})"
    );
}

TEST_F(webhook_service_test, meeting_end_closes_open_stays_and_a_late_start_does_not_reopen) {
    deliver(
        R"({"event":"meeting.started","payload":{"object":{"id":"333","start_time":"2026-01-01T09:00:00Z"}}})"
    );
    deliver(joined("333", "bo@x.org", "2026-01-01T09:01:00Z"));
    deliver(
        R"({"event":"meeting.ended","payload":{"object":{"id":"333","start_time":"2026-01-01T09:00:00Z","end_time":"2026-01-01T10:00:00Z"}}})"
    );
    deliver(
        R"({"event":"meeting.started","payload":{"object":{"id":"333","start_time":"2026-01-01T09:00:00Z"}}})"
    );
    const auto report = attendance_.report(repos->attendance(), meeting_id{"333"});
    ASSERT_TRUE(report);
    EXPECT_EQ(report->details().status, attendance::meeting_status::ended);
    ASSERT_EQ(report->rows.size(), 1U);
    EXPECT_FALSE(report->rows[0].active);
    EXPECT_EQ(report->rows[0].duration_minutes, 59.0);

    deliver(
        R"({"event":"meeting.started","payload":{"object":{"id":"333","start_time":"2026-01-01T11:00:00Z"}}})"
    );
    const auto occurrences = attendance_.occurrences(repos->attendance(), meeting_id{"333"});
    ASSERT_TRUE(occurrences);
    ASSERT_EQ(occurrences->size(), 2U) << "a start after the recorded end is a new occurrence";
    EXPECT_EQ(occurrences->at(0).details.status, attendance::meeting_status::live);
    EXPECT_EQ(occurrences->at(1).details.status, attendance::meeting_status::ended);
    EXPECT_EQ(occurrences->at(1).participant_count, 1);
}

TEST_F(webhook_service_test, bad_deliveries_are_validation_errors) {
    const auto bad = [&](const std::string& body) {
        auto event = parse_webhook(*json::parse(body));
        if (!event)
            return event.error().code;
        auto r = service_.apply(repos->attendance(), events, *event);
        return r ? errc::internal : r.error().code;
    };
    EXPECT_EQ(bad(R"([])"), errc::validation_failed);
    EXPECT_EQ(bad(R"({"event":""})"), errc::validation_failed);
    EXPECT_EQ(
        bad(R"({"event":"meeting.started","payload":{"object":{"id":"no spaces allowed"}}})"),
        errc::validation_failed
    );
    EXPECT_EQ(
        bad(R"({"event":"meeting.participant_joined","payload":{"object":{"id":1}}})"),
        errc::validation_failed
    );
    EXPECT_EQ(
        bad(R"({"event":"meeting.participant_joined","payload":{"object":{"id":1,"participant":{"email":""}}}})"
        ),
        errc::validation_failed
    );
    EXPECT_EQ(bad(R"({"event":"endpoint.url_validation","payload":{}})"), errc::validation_failed);
    EXPECT_TRUE(events.events.empty());
}

}  // namespace
}  // namespace headcount::zoom
