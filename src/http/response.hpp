#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace headcount::http {

/// A reply as handlers build it; the server turns it into HTTP/1.1 on the wire.
struct response {
    unsigned status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

/// `status` with `body` serialised as JSON (JSON.stringify style).
response json_response(unsigned status, const boost::json::value& body);
/// 200 with `{"success": true, ...members}`: the usual success body.
response success(boost::json::object members, unsigned status = 200);

}  // namespace headcount::http
