#include "http/wire_response.hpp"

#include <gtest/gtest.h>

namespace headcount::http {
namespace {

response json_reply(unsigned status, std::string body) {
    response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

TEST(WireResponse, AJsonReplyHasItsTypeIdLengthAndBody) {
    auto r = json_reply(201, R"({"success":true})");
    r.header("Retry-After", "3");
    EXPECT_EQ(
        to_wire(r, {11, true, false, "req-1"}),
        "HTTP/1.1 201 Created\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        "X-Request-Id: req-1\r\n"
        "Retry-After: 3\r\n"
        "Content-Length: 16\r\n"
        "\r\n"
        R"({"success":true})"
    );
}

TEST(WireResponse, ClosingAndHttp10KeepAliveSayConnection) {
    const auto r = json_reply(404, "{}");
    EXPECT_EQ(
        to_wire(r, {11, false, false, "a"}),
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\n"
        "X-Request-Id: a\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
    );
    EXPECT_EQ(
        to_wire(r, {10, true, false, "a"}),
        "HTTP/1.0 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\n"
        "X-Request-Id: a\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}"
    );
    EXPECT_EQ(to_wire(r, {10, false, false, "a"}).find("Connection"), std::string::npos)
        << "HTTP/1.0 closes unless told otherwise";
}

TEST(WireResponse, HeadGetsTheLengthWithoutTheBody) {
    EXPECT_EQ(
        to_wire(json_reply(200, "hello"), {11, true, true, "h"}),
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        "X-Request-Id: h\r\nContent-Length: 5\r\n\r\n"
    );
}

TEST(WireResponse, NoContentAndNotModifiedHaveNoLengthNorBody) {
    auto no_content = json_reply(204, "");
    no_content.content_type.clear();
    no_content.header("Allow", "GET, POST");
    EXPECT_EQ(
        to_wire(no_content, {11, true, false, "o"}),
        "HTTP/1.1 204 No Content\r\nX-Request-Id: o\r\nAllow: GET, POST\r\n\r\n"
    );
    auto not_modified = json_reply(304, "cached body");
    not_modified.header("ETag", "\"v1\"");
    EXPECT_EQ(
        to_wire(not_modified, {11, true, false, "c"}),
        "HTTP/1.1 304 Not Modified\r\nContent-Type: application/json; charset=utf-8\r\n"
        "X-Request-Id: c\r\nETag: \"v1\"\r\n\r\n"
    );
}

TEST(WireResponse, AnEmptyRequestIdIsNotSent) {
    EXPECT_EQ(
        to_wire(json_reply(400, "no"), {11, false, false, {}}),
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Connection: close\r\nContent-Length: 2\r\n\r\nno"
    );
}

TEST(WireResponse, LineBreaksInAHeaderCannotStartANewLine) {
    auto r = json_reply(200, "");
    r.header("Content-Disposition", "attachment\r\nSet-Cookie: x=1");
    const auto wire = to_wire(r, {11, true, false, "i\nj"});
    EXPECT_NE(wire.find("Content-Disposition: attachment  Set-Cookie: x=1\r\n"), std::string::npos);
    EXPECT_NE(wire.find("X-Request-Id: i j\r\n"), std::string::npos);
    EXPECT_EQ(wire.find("\r\nSet-Cookie"), std::string::npos);
}

}  // namespace
}  // namespace headcount::http
