#include "http/router.hpp"

#include <algorithm>

namespace headcount::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos)
            end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

void router::add(route r) {
    compiled c;
    for (auto s : split_path(r.pattern))
        c.segments.emplace_back(s);
    if (!c.segments.empty() && c.segments.back() == "*") {
        c.segments.pop_back();
        c.rest = true;
    }
    c.spec = r;
    routes_.push_back(std::move(r));
    table_.push_back(std::move(c));
}

bool router::matches(
    const compiled& c,
    const std::vector<std::string_view>& segments,
    std::vector<std::pair<std::string, std::string>>& params
) {
    if (c.rest ? segments.size() < c.segments.size() : segments.size() != c.segments.size())
        return false;
    params.clear();
    for (std::size_t i = 0; i < c.segments.size(); ++i) {
        const auto& want = c.segments[i];
        if (want.starts_with(':')) {
            if (segments[i].empty())
                return false;
            params.emplace_back(want.substr(1), segments[i]);
        } else if (want != segments[i]) {
            return false;
        }
    }
    return true;
}

router::match router::find(method verb, std::string_view path) const {
    const auto segments = split_path(path);
    const auto wanted = verb == method::head ? method::get : verb;
    match result;
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& c : table_) {
        if (!matches(c, segments, params))
            continue;
        if (c.spec.verb == wanted) {
            result.found = &c.spec;
            result.params = std::move(params);
            result.allowed.clear();
            return result;
        }
        if (std::find(result.allowed.begin(), result.allowed.end(), c.spec.verb) ==
            result.allowed.end()) {
            result.allowed.push_back(c.spec.verb);
        }
    }
    return result;
}

}  // namespace headcount::http
