#include "http/response.hpp"

#include "common/json.hpp"

namespace headcount::http {

response json_response(unsigned status, const boost::json::value& body) {
    response r;
    r.status = status;
    json::write(r.body, body);
    return r;
}

response success(boost::json::object members, unsigned status) {
    boost::json::object body;
    body.reserve(members.size() + 1);
    body["success"] = true;
    for (auto& m : members)
        body.insert_or_assign(m.key(), std::move(m.value()));
    return json_response(status, body);
}

}  // namespace headcount::http
