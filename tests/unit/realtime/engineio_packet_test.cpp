#include <gtest/gtest.h>

#include "realtime/engineio/packet.hpp"

namespace headcount::realtime::engineio {
namespace {

TEST(EngineioPacket, ParsesEachTypeDigit) {
    const std::pair<std::string_view, packet_type> cases[] = {
        {"0", packet_type::open}, {"1", packet_type::close},     {"2probe", packet_type::ping},
        {"3", packet_type::pong}, {"4hi", packet_type::message}, {"5", packet_type::upgrade},
        {"6", packet_type::noop},
    };
    for (const auto& [text, type] : cases) {
        const auto p = parse_text(text);
        ASSERT_TRUE(p) << text;
        EXPECT_EQ(p->type, type);
        EXPECT_EQ(p->data, text.substr(1));
        EXPECT_FALSE(p->binary);
    }
}

TEST(EngineioPacket, RefusesEmptyAndUnknownTypes) {
    for (const std::string_view text : {"", "7", "a", "abc", "-1", " 4", "b!", "bAQI"})
        EXPECT_FALSE(parse_text(text)) << text;
}

TEST(EngineioPacket, ReadsBase64TextAsABinaryMessage) {
    const auto p = parse_text("bAQIDBA==");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->binary);
    EXPECT_EQ(p->type, packet_type::message);
    EXPECT_EQ(p->data, std::string("\x01\x02\x03\x04", 4));
}

TEST(EngineioPacket, DecodesPollingBodies) {
    const auto packets = decode_payload(
        "4hello\x1e"
        "2\x1e"
        "bAQIDBA==\x1e"
        "4"
    );
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 4u);
    EXPECT_EQ((*packets)[0].data, "hello");
    EXPECT_EQ((*packets)[1].type, packet_type::ping);
    EXPECT_TRUE((*packets)[2].binary);
    EXPECT_EQ((*packets)[2].type, packet_type::message);
    EXPECT_EQ((*packets)[2].data, std::string("\x01\x02\x03\x04", 4));
    EXPECT_EQ((*packets)[3].data, "");
}

TEST(EngineioPacket, RefusesBodiesWithABadRecord) {
    for (const std::string_view body :
         {"", "4a\x1e",
          "\x1e"
          "4a",
          "4a\x1ex", "b!!", "bAQI", "x"})
        EXPECT_FALSE(decode_payload(body)) << body;
}

TEST(EngineioPacket, EncodesGetBodiesWithSeparatorsAndBase64) {
    std::string body;
    append_record(body, message_frame("hello"));
    append_record(body, binary_frame(std::string("\x01\x02\x03\x04", 4)));
    append_record(body, ping_frame());
    EXPECT_EQ(
        body,
        "4hello\x1e"
        "bAQIDBA==\x1e"
        "2"
    );
}

TEST(EngineioPacket, OpenPacketHasExactlyTheFiveKeys) {
    EXPECT_EQ(
        open_packet(
            "abc", true, std::chrono::milliseconds(300), std::chrono::milliseconds(200), 1000000
        ),
        R"(0{"sid":"abc","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000})"
    );
    EXPECT_EQ(
        open_packet(
            "x", false, std::chrono::milliseconds(25000), std::chrono::milliseconds(20000), 5
        ),
        R"(0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":5})"
    );
}

TEST(EngineioPacket, ErrorBodiesCarryTheProtocolCodes) {
    EXPECT_EQ(
        error_body(request_error::unknown_transport), R"({"code":0,"message":"Transport unknown"})"
    );
    EXPECT_EQ(
        error_body(request_error::unknown_sid), R"({"code":1,"message":"Session ID unknown"})"
    );
    EXPECT_EQ(
        error_body(request_error::bad_handshake_method),
        R"({"code":2,"message":"Bad handshake method"})"
    );
    EXPECT_EQ(error_body(request_error::bad_request), R"({"code":3,"message":"Bad request"})");
    EXPECT_EQ(
        error_body(request_error::unsupported_protocol_version),
        R"({"code":5,"message":"Unsupported protocol version"})"
    );
}

TEST(EngineioPacket, ControlFramesAreShared) {
    EXPECT_EQ(ping_frame().bytes.get(), ping_frame().bytes.get());
    EXPECT_EQ(*noop_frame().bytes, "6");
    EXPECT_EQ(*close_frame().bytes, "1");
    EXPECT_EQ(*probe_answer_frame().bytes, "3probe");
}

}  // namespace
}  // namespace headcount::realtime::engineio
