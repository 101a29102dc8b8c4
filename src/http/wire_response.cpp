#include "http/wire_response.hpp"

#include <boost/beast/http/status.hpp>

namespace headcount::http {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
    const auto from = out.size();
    out.append(name);
    out.append(": ");
    out.append(value);
    for (auto i = from; i < out.size(); ++i) {
        if (out[i] == '\r' || out[i] == '\n')
            out[i] = ' ';
    }
    out.append("\r\n");
}

}  // namespace

std::string to_wire(const response& reply, const wire_framing& framing) {
    const bool no_length = reply.status / 100 == 1 || reply.status == 204 || reply.status == 304;
    const bool with_body = !framing.head && !no_length;
    std::string out;
    out.reserve(256 + (with_body ? reply.body.size() : 0));
    out.append(framing.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    out.append(std::to_string(reply.status));
    out.push_back(' ');
    out.append(
        boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(reply.status))
    );
    out.append("\r\n");
    if (!reply.content_type.empty())
        append_field(out, "Content-Type", reply.content_type);
    if (!framing.request_id.empty())
        append_field(out, "X-Request-Id", framing.request_id);
    for (const auto& [name, value] : reply.headers)
        append_field(out, name, value);
    if (framing.version == 10 && framing.keep_alive)
        out.append("Connection: keep-alive\r\n");
    else if (framing.version != 10 && !framing.keep_alive)
        out.append("Connection: close\r\n");
    if (!no_length) {
        out.append("Content-Length: ");
        out.append(std::to_string(reply.body.size()));
        out.append("\r\n");
    }
    out.append("\r\n");
    if (with_body)
        out.append(reply.body);
    return out;
}

}  // namespace headcount::http
