#pragma once

#include <string>

#include "http/response.hpp"

namespace headcount::http {

/// How the request that a reply answers shapes its bytes on the wire.
struct wire_framing {
    unsigned version = 11;  ///< of the request: 10 or 11
    bool keep_alive = true;
    bool head = false;            ///< a HEAD request: the length of the body, not the body
    std::string_view request_id;  ///< sent as X-Request-Id unless empty
};

/// The reply as HTTP/1.x bytes, head and body in one buffer (one write, no per-field
/// iteration). Content-Length follows RFC 9110: none on 1xx, 204 and 304, the would-be body's
/// on HEAD. CR and LF in a header name or value become spaces, so no value can add a line.
std::string to_wire(const response& reply, const wire_framing& framing);

}  // namespace headcount::http
