#include <gtest/gtest.h>

#include "common/json.hpp"
#include "realtime/socketio/packet.hpp"

namespace headcount::realtime::socketio {
namespace {

boost::json::value parsed(std::string_view text) {
    return *json::parse(text);
}

struct decoded_case {
    std::string_view text;
    packet_type type;
    std::string_view nsp;
    std::optional<std::uint64_t> id;
    std::string_view data;  ///< compact JSON, empty for none
    std::size_t attachments;
};

TEST(SocketioPacket, DecodesTheProtocolsExamples) {
    const decoded_case cases[] = {
        {"0", packet_type::connect, "/", {}, "", 0},
        {R"(0{"token":"123"})", packet_type::connect, "/", {}, R"({"token":"123"})", 0},
        {"0/admin,", packet_type::connect, "/admin", {}, "", 0},
        {"0/custom", packet_type::connect, "/custom", {}, "", 0},
        {R"(0/admin,{"token":"x"})", packet_type::connect, "/admin", {}, R"({"token":"x"})", 0},
        {"1", packet_type::disconnect, "/", {}, "", 0},
        {"1/custom", packet_type::disconnect, "/custom", {}, "", 0},
        {R"(2["message",1,"2",{"3":[true]}])",
         packet_type::event,
         "/",
         {},
         R"(["message",1,"2",{"3":[true]}])",
         0},
        {R"(2456["message-with-ack"])", packet_type::event, "/", 456, R"(["message-with-ack"])", 0},
        {R"(2/nsp,7["x"])", packet_type::event, "/nsp", 7, R"(["x"])", 0},
        {R"(2[3])", packet_type::event, "/", {}, R"([3])", 0},
        {R"(3456[1])", packet_type::ack, "/", 456, R"([1])", 0},
        {R"(3[])", packet_type::ack, "/", {}, R"([])", 0},
        {R"(4{"message":"no"})", packet_type::connect_error, "/", {}, R"({"message":"no"})", 0},
        {R"(52-["m",{"_placeholder":true,"num":0}])",
         packet_type::binary_event,
         "/",
         {},
         R"(["m",{"_placeholder":true,"num":0}])",
         2},
        {R"(51-789["m"])", packet_type::binary_event, "/", 789, R"(["m"])", 1},
        {R"(62-/x,789[1])", packet_type::binary_ack, "/x", 789, R"([1])", 2},
        {R"(510-["m"])", packet_type::binary_event, "/", {}, R"(["m"])", 10},
    };
    for (const auto& c : cases) {
        const auto p = decode(c.text);
        ASSERT_TRUE(p) << c.text;
        EXPECT_EQ(p->type, c.type) << c.text;
        EXPECT_EQ(p->nsp, c.nsp) << c.text;
        EXPECT_EQ(p->id, c.id) << c.text;
        EXPECT_EQ(p->attachments, c.attachments) << c.text;
        EXPECT_EQ(p->data ? json::to_string(*p->data) : std::string(), c.data) << c.text;
    }
}

TEST(SocketioPacket, RefusesMalformedPackets) {
    for (const std::string_view text : {
             "",
             "7",
             "abc",
             "2{}",
             R"(2abc["m"])",
             "2[",
             "2[]",
             R"(2["connect"])",
             R"(2["disconnect"])",
             R"(2["newListener"])",
             R"(2[{"a":1}])",
             R"(2[null])",
             "2\"x\"",
             "1{}",
             "1[]",
             "0[1]",
             "0\"x\"",
             "3",
             "3{}",
             "4",
             "4[1]",
             R"(511-["m"])",
             R"(5["m"])",
             R"(5-["m"])",
             R"(5x-["m"])",
             "21234567890123456789[\"m\"]",
         }) {
        EXPECT_FALSE(decode(text)) << text;
    }
}

TEST(SocketioPacket, EncodesAsEngineioMessages) {
    const boost::json::value sid = parsed(R"({"sid":"abc"})");
    EXPECT_EQ(encode(packet_type::connect, "/", {}, &sid), R"(40{"sid":"abc"})");
    EXPECT_EQ(encode(packet_type::connect, "/custom", {}, &sid), R"(40/custom,{"sid":"abc"})");
    EXPECT_EQ(encode(packet_type::disconnect, "/admin", {}, nullptr), "41/admin,");
    const boost::json::value args = parsed(R"([1,"2"])");
    EXPECT_EQ(encode(packet_type::ack, "/", 456, &args), R"(43456[1,"2"])");
    EXPECT_EQ(encode(packet_type::binary_ack, "/x", 7, &args, 2), R"(462-/x,7[1,"2"])");
    EXPECT_EQ(encode(packet_type::event, "/", {}, nullptr), "42");
}

TEST(SocketioPacket, ChecksThatPlaceholdersNameAnAttachment) {
    const auto ok =
        parsed(R"([{"_placeholder":true,"num":0},{"a":[{"_placeholder":true,"num":1}]}])");
    EXPECT_TRUE(placeholders_valid(ok, 2));
    EXPECT_FALSE(placeholders_valid(ok, 1));
    for (const std::string_view bad : {
             R"([{"_placeholder":true}])",
             R"([{"_placeholder":true,"num":-1}])",
             R"([{"_placeholder":true,"num":"0"}])",
             R"([{"_placeholder":true,"num":0.5}])",
             R"([{"_placeholder":true,"num":1.5}])",
             R"([{"_placeholder":true,"num":3}])",
             R"([{"_placeholder":true,"num":3.0}])",
             R"([{"_placeholder":true,"num":1e300}])",
             R"([{"_placeholder":true,"num":-1e300}])",
             R"([{"_placeholder":true,"num":18446744073709551615}])",
         }) {
        EXPECT_FALSE(placeholders_valid(parsed(bad), 3)) << bad;
    }
    EXPECT_TRUE(placeholders_valid(parsed(R"([{"_placeholder":false,"num":9}])"), 0));
    // A whole number written as a double names its buffer, as in JavaScript.
    EXPECT_TRUE(placeholders_valid(parsed(R"([{"_placeholder":true,"num":2.0}])"), 3));
}

// A num no integer type holds must not be converted to one: undefined behaviour that any
// client could reach before authenticating (issue 21).
TEST(SocketioPacket, RefusesAPlaceholderNumOutsideTheAttachments) {
    const auto decoded = decode(R"(51-["ev",{"_placeholder":true,"num":1e300}])");
    ASSERT_TRUE(decoded);
    EXPECT_FALSE(placeholders_valid(*decoded->data, decoded->attachments));
    for (const std::string_view num : {"1e300", "-1", "1.5", R"("0")", "1", "2"}) {
        const auto data =
            parsed(std::string(R"(["ev",{"_placeholder":true,"num":)") + std::string(num) + "}]");
        EXPECT_FALSE(placeholders_valid(data, 1)) << num;
    }
}

TEST(SocketioPacket, RenumbersPlaceholdersInDocumentOrder) {
    auto data = parsed(
        R"(["m",{"_placeholder":true,"num":2,"extra":1},[{"_placeholder":true,"num":0}],{"_placeholder":true,"num":1}])"
    );
    std::vector<std::string> buffers{"zero", "one", "two"};
    renumber_placeholders(data, buffers);
    EXPECT_EQ(
        json::to_string(data),
        R"(["m",{"_placeholder":true,"num":0},[{"_placeholder":true,"num":1}],{"_placeholder":true,"num":2}])"
    );
    EXPECT_EQ(buffers, (std::vector<std::string>{"two", "zero", "one"}));
}

}  // namespace
}  // namespace headcount::realtime::socketio
