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
    // Written straight out: `success` first (a member of that name gives its value), then
    // the members in order.
    response r;
    r.status = status;
    r.body.append(R"({"success":)");
    if (const auto* own = members.if_contains("success"))
        json::write(r.body, *own);
    else
        r.body.append("true");
    for (const auto& m : members) {
        if (m.key() == "success")
            continue;
        r.body.push_back(',');
        json::write_string(r.body, m.key());
        r.body.push_back(':');
        json::write(r.body, m.value());
    }
    r.body.push_back('}');
    return r;
}

}  // namespace headcount::http
