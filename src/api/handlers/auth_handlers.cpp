#include "api/error_reply.hpp"
#include "api/handlers/services.hpp"
#include "api/json_input.hpp"
#include "auth/account_rules.hpp"
#include "auth/user_json.hpp"
#include "common/text.hpp"
#include "net/hop.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;

response token_reply(const services& s, const auth::user& user, unsigned status) {
    return success(
        {{"token", s.tokens.issue(user, s.clk.now())}, {"user", boost::json::value_from(user)}},
        status
    );
}

net::awaitable<response> register_user(services& s, request_context& ctx) {
    json_input in(ctx.json);
    auto username = in.string("username", true, 256);
    auto email = in.string("email", true, 1024);
    auto password = in.string("password", true, 4096);
    if (username) {
        if (auto why = auth::check_username(*username))
            in.fail("username", *why);
    }
    if (email) {
        email = std::string(text::trim(*email));
        if (auto why = auth::check_email(*email))
            in.fail("email", *why);
    }
    if (password) {
        if (auto why = auth::check_password(*password))
            in.fail("password", *why);
    }
    in.check();

    const auth::password_hasher& hasher = s.passwords;
    const std::string& pw = *password;
    auto hash = co_await run_on(s.hashing, [&hasher, &pw] { return hasher.hash(pw); });
    const auth::new_user fresh{*username, *email, auth::role::user, std::move(hash)};
    auto created = co_await store::write(s.db, [&fresh](store::unit& u) {
        return u.sessions().users.insert(fresh);
    });
    co_return token_reply(s, created.value(), 201);
}

net::awaitable<response> login(services& s, request_context& ctx) {
    json_input in(ctx.json);
    auto login_name = in.string("login", true, 1024);
    auto password = in.string("password", true, 4096);
    in.check();

    const auto attempt = s.sign_ins.attempt(ctx.request.remote_address, *login_name);
    if (auto refused = s.sign_ins.screen(attempt))
        co_return error_reply(*refused);
    auto account = co_await store::read(s.db, [&attempt](store::unit& u) {
        return u.sessions().users.find_by_login(attempt.account);
    });
    auth::sign_in_service& sign_ins = s.sign_ins;
    const std::string& pw = *password;
    auto user = co_await run_on(s.hashing, [&sign_ins, &attempt, &account, &pw] {
        return sign_ins.sign_in(attempt, account, pw);
    });
    co_return token_reply(s, user.value(), 200);
}

}  // namespace

void add_auth_routes(const route_table& routes, services& s) {
    routes.add(
        {method::post, "/api/auth/register", access::anyone, body_kind::json,
         rate_bucket::registrations, [&s](request_context& ctx) { return register_user(s, ctx); }}
    );
    // Failed sign-ins are limited by the sign-in service, which knows what failed.
    routes.add(
        {method::post, "/api/auth/login", access::anyone, body_kind::json, rate_bucket::none,
         [&s](request_context& ctx) { return login(s, ctx); }}
    );
    routes.add(
        {method::get, "/api/auth/me", access::user, body_kind::none, rate_bucket::per_user,
         [](request_context& ctx) -> net::awaitable<response> {
             co_return success({{"user", boost::json::value_from(ctx.user())}});
         }}
    );
}

}  // namespace headcount::api
