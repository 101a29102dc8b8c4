// A request target as a client sends it: Boost.URL splits it and decodes the query as the
// server does, and the route table finds what it names without crashing. A route found has
// the method asked for and one non-empty capture per `:name` of its pattern.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/url/parse.hpp>

#include "http/router.hpp"

namespace {

namespace http = headcount::http;

http::router route_table() {
    http::router r;
    const std::pair<http::method, const char*> routes[] = {
        {http::method::get, "/healthz"},
        {http::method::get, "/readyz"},
        {http::method::get, "/metrics"},
        {http::method::post, "/api/auth/login"},
        {http::method::post, "/api/auth/register"},
        {http::method::get, "/api/auth/me"},
        {http::method::get, "/api/users"},
        {http::method::patch, "/api/users/:id"},
        {http::method::get, "/api/students"},
        {http::method::post, "/api/students"},
        {http::method::post, "/api/students/import"},
        {http::method::get, "/api/students/:studentId"},
        {http::method::get, "/api/meetings"},
        {http::method::put, "/api/meetings/:meetingId/roster"},
        {http::method::get, "/api/attendance-tracker/attendance/:meetingId"},
        {http::method::get, "/api/attendance-tracker/attendance/:meetingId/export.csv"},
        {http::method::post, "/api/user-sessions/join-meeting"},
        {http::method::post, "/api/zoom/webhook"},
        {http::method::get, "/"},
        {http::method::get, "/meeting/:meetingId"},
        {http::method::get, "/my-sessions"},
        {http::method::get, "/admin/*"},
        {http::method::get, "/socket.io/socket.io.js"},
        {http::method::get, "/assets/*"},
        {http::method::get, "/socket.io/*"},
        {http::method::post, "/socket.io/*"},
    };
    for (const auto& [verb, pattern] : routes)
        r.add({verb, pattern, 0, {}});
    return r;
}

std::size_t captures_in(std::string_view pattern) {
    return static_cast<std::size_t>(std::ranges::count(pattern, ':'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto routes = route_table();
    if (size == 0)
        return 0;
    const auto verb = static_cast<http::method>(data[0] % 8);
    const std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto url = boost::urls::parse_origin_form(target);
    if (!url)
        return 0;
    const std::string path = url->path();
    std::vector<std::pair<std::string, std::string>> query;
    for (const auto& param : url->params())
        query.emplace_back(param.key, param.value);
    const auto match = routes.find(verb, path);
    if (match.found == nullptr)
        return 0;
    const auto wanted = verb == http::method::head ? http::method::get : verb;
    const bool captures_ok =
        std::ranges::all_of(match.params, [](const auto& p) { return !p.second.empty(); });
    if (match.found->verb != wanted || !captures_ok ||
        match.params.size() != captures_in(match.found->pattern))
        std::abort();
    return 0;
}
