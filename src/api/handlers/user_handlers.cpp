#include <charconv>

#include "api/handlers/services.hpp"
#include "api/json_input.hpp"
#include "auth/user_json.hpp"
#include "sessions/user_admin_service.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

net::awaitable<response> list_users(services& s, request_context&) {
    auto users = co_await store::read(s.db, [](store::unit& u) {
        return sessions::user_admin_service::list(u.sessions());
    });
    boost::json::array out;
    out.reserve(users.size());
    for (const auto& user : users)
        out.push_back(boost::json::value_from(user));
    co_return success({{"users", std::move(out)}});
}

/// A user id in a path is a positive integer; anything else names no user.
std::optional<user_id> user_param(const std::string& raw) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (ec != std::errc{} || end != raw.data() + raw.size() || id <= 0)
        return std::nullopt;
    return user_id{id};
}

net::awaitable<response> patch_user(services& s, request_context& ctx) {
    const auto id = user_param(ctx.param("id"));
    if (!id)
        throw api_exception({errc::not_found, "User not found", {}});
    json_input in(ctx.json);
    sessions::user_patch change;
    if (const auto* role = in.member("role")) {
        const auto parsed = role->is_string() ? auth::parse_role(role->get_string()) : std::nullopt;
        if (parsed) {
            change.role = parsed;
        } else {
            in.fail("role", "must be \"admin\" or \"user\"");
        }
    }
    if (const auto* student = in.member("studentId")) {
        if (student->is_null()) {
            change.linked_student = std::optional<student_id>{};
        } else if (student->is_int64() && student->get_int64() >= 0) {
            change.linked_student = std::optional<student_id>{student_id{student->get_int64()}};
        } else {
            in.fail("studentId", "must be a non-negative integer or null");
        }
    }
    in.check();
    auto updated = co_await store::write(s.db, [&](store::unit& u) {
        return sessions::user_admin_service::patch(u.sessions(), *id, change);
    });
    s.users.evict(*id);
    co_return success({{"user", boost::json::value_from(updated.value())}});
}

}  // namespace

void add_user_routes(const route_table& routes, services& s) {
    routes.add(
        {method::get, "/api/users", access::admin, body_kind::none, rate_bucket::per_user,
         [&s](request_context& ctx) { return list_users(s, ctx); }}
    );
    routes.add(
        {method::patch, "/api/users/:id", access::admin, body_kind::json, rate_bucket::per_user,
         [&s](request_context& ctx) { return patch_user(s, ctx); }}
    );
}

}  // namespace headcount::api
