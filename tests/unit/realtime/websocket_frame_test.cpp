#include "realtime/engineio/websocket_frame.hpp"

#include <gtest/gtest.h>

namespace headcount::realtime::engineio::ws {
namespace {

/// A client frame: masked with a fixed key.
std::string client_frame(
    std::uint8_t op,
    std::string_view payload,
    bool fin = true,
    bool mask = true,
    std::uint8_t rsv = 0
) {
    std::string f;
    f.push_back(static_cast<char>((fin ? 0x80 : 0) | rsv | op));
    const auto n = payload.size();
    const char mask_bit = mask ? static_cast<char>(0x80) : 0;
    if (n < 126) {
        f.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
    } else if (n <= 0xFFFF) {
        f.push_back(static_cast<char>(mask_bit | 126));
        f.push_back(static_cast<char>(n >> 8));
        f.push_back(static_cast<char>(n & 0xFF));
    } else {
        f.push_back(static_cast<char>(mask_bit | 127));
        for (int i = 7; i >= 0; --i)
            f.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xFF));
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    if (mask)
        f.append(key, 4);
    for (std::size_t i = 0; i < n; ++i)
        f.push_back(mask ? static_cast<char>(payload[i] ^ key[i & 3]) : payload[i]);
    return f;
}

TEST(WebsocketFrame, ServerHeadersUseTheShortestLength) {
    auto h = server_header(opcode::text, 5);
    ASSERT_EQ(h.size, 2);
    EXPECT_EQ(h.bytes[0], 0x81);
    EXPECT_EQ(h.bytes[1], 5);
    h = server_header(opcode::binary, 125);
    EXPECT_EQ(h.size, 2);
    EXPECT_EQ(h.bytes[0], 0x82);
    h = server_header(opcode::text, 126);
    ASSERT_EQ(h.size, 4);
    EXPECT_EQ(h.bytes[1], 126);
    EXPECT_EQ(h.bytes[2], 0);
    EXPECT_EQ(h.bytes[3], 126);
    h = server_header(opcode::text, 65535);
    EXPECT_EQ(h.size, 4);
    h = server_header(opcode::close, 65536);
    ASSERT_EQ(h.size, 10);
    EXPECT_EQ(h.bytes[0], 0x88);
    EXPECT_EQ(h.bytes[1], 127);
    EXPECT_EQ(h.bytes[7], 1);
    EXPECT_EQ(h.bytes[8], 0);
    EXPECT_EQ(h.bytes[9], 0);
    EXPECT_EQ(close_payload(close_code::too_big), std::string("\x03\xf1", 2));
}

TEST(WebsocketFrame, UnmasksMessagesAndControlFrames) {
    reader r(1000);
    std::vector<incoming> out;
    const auto bytes = client_frame(0x1, "4hello") + client_frame(0x2, std::string("\x00\x01", 2)) +
                       client_frame(0x9, "p") + client_frame(0xA, "") +
                       client_frame(0x8, "\x03\xe8");
    EXPECT_FALSE(r.feed(bytes, out));
    ASSERT_EQ(out.size(), 5u);
    EXPECT_EQ(out[0].op, opcode::text);
    EXPECT_EQ(out[0].payload, "4hello");
    EXPECT_EQ(out[1].op, opcode::binary);
    EXPECT_EQ(out[1].payload, std::string("\x00\x01", 2));
    EXPECT_EQ(out[2].op, opcode::ping);
    EXPECT_EQ(out[3].op, opcode::pong);
    EXPECT_EQ(out[4].op, opcode::close);
    EXPECT_EQ(out[4].payload, "\x03\xe8");
}

TEST(WebsocketFrame, ReassemblesFragmentsAndFramesSplitAnywhere) {
    const auto bytes = client_frame(0x1, "4hel", false) + client_frame(0x9, "mid") +
                       client_frame(0x0, "lo", false) + client_frame(0x0, std::string(300, 'x'));
    for (std::size_t step : {1u, 2u, 3u, 7u, 64u}) {
        reader r(1000);
        std::vector<incoming> out;
        for (std::size_t i = 0; i < bytes.size(); i += step)
            ASSERT_FALSE(r.feed(std::string_view(bytes).substr(i, step), out));
        ASSERT_EQ(out.size(), 2u) << step;
        EXPECT_EQ(out[0].op, opcode::ping);
        EXPECT_EQ(out[1].op, opcode::text);
        EXPECT_EQ(out[1].payload, "4hello" + std::string(300, 'x'));
    }
}

TEST(WebsocketFrame, TakesLongLengths) {
    reader r(100000);
    std::vector<incoming> out;
    EXPECT_FALSE(r.feed(client_frame(0x2, std::string(70000, 'b')), out));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload.size(), 70000u);
}

TEST(WebsocketFrame, RefusesProtocolViolations) {
    const std::pair<std::string, close_code> cases[] = {
        {client_frame(0x1, "4", true, false), close_code::protocol_error},
        {client_frame(0x1, "4", true, true, 0x40), close_code::protocol_error},
        {client_frame(0x3, "x"), close_code::protocol_error},
        {client_frame(0xB, "x"), close_code::protocol_error},
        {client_frame(0x9, "p", false), close_code::protocol_error},
        {client_frame(0x9, std::string(126, 'p')), close_code::protocol_error},
        {client_frame(0x0, "x"), close_code::protocol_error},
        {client_frame(0x1, "a", false) + client_frame(0x1, "b"), close_code::protocol_error},
        {client_frame(0x8, "\x03"), close_code::protocol_error},
        {client_frame(0x1, "\xc3\x28"), close_code::invalid_payload},
        {client_frame(0x1, std::string(11, 'x')), close_code::too_big},
        {client_frame(0x1, std::string(6, 'x'), false) + client_frame(0x0, std::string(6, 'x')),
         close_code::too_big},
    };
    for (const auto& [bytes, code] : cases) {
        reader r(10);
        std::vector<incoming> out;
        EXPECT_EQ(r.feed(bytes, out), code);
    }
}

TEST(WebsocketFrame, RefusesAnOversizedLengthBeforeItsBytes) {
    reader r(1000);
    std::vector<incoming> out;
    const std::string head("\x82\xff\x00\x00\x00\x01\x00\x00\x00\x00", 10);
    EXPECT_EQ(r.feed(head, out), close_code::too_big);
}

// Found by fuzz_websocket: a continuation's 64-bit length near 2^64 wrapped the message size
// round, passed the limit and read past the buffer (std::out_of_range).
TEST(WebsocketFrame, RefusesALengthWithItsTopBitSet) {
    const std::string fragment = client_frame(0x1, "x", false);
    for (const char top : {'\xff', '\x80'}) {
        std::string head("\x80\xff", 2);
        head.push_back(top);
        head.append(std::string(7, '\xff'));
        head.append("\x12\x34\x56", 3);  // the mask, one byte short
        reader r(1000);
        std::vector<incoming> out;
        EXPECT_EQ(r.feed(fragment + head, out), close_code::protocol_error);
        EXPECT_TRUE(out.empty());
    }
}

}  // namespace
}  // namespace headcount::realtime::engineio::ws
