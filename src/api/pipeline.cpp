#include "api/pipeline.hpp"

#include "api/error_reply.hpp"
#include "common/json.hpp"
#include "common/text.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

/// The media type of a Content-Type value, lower-cased, without parameters.
std::string media_type(std::string_view content_type) {
    return text::ascii_lower(text::trim(content_type.substr(0, content_type.find(';'))));
}

bool is_json_type(std::string_view type) {
    return type == "application/json" ||
           (type.starts_with("application/") && type.ends_with("+json"));
}

/// A charset other than UTF-8 is refused rather than misread.
bool charset_ok(std::string_view content_type) {
    const auto lower = text::ascii_lower(content_type);
    const auto at = lower.find("charset=");
    if (at == std::string::npos)
        return true;
    auto value = std::string_view(lower).substr(at + 8);
    value = value.substr(0, value.find(';'));
    value = text::trim(value);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
    return value == "utf-8" || value == "utf8";
}

response too_many_requests(std::chrono::seconds retry_after) {
    return error_reply(api_error::rate_limited("Too many requests", retry_after));
}

}  // namespace

boost::asio::awaitable<outcome<auth::user>> pipeline::load_user(const outcome<user_id>& id) const {
    if (!id)
        co_return id.error();
    if (auto cached = parts_.users.find(*id))
        co_return std::move(*cached);
    const auto wanted = *id;
    auto found = co_await store::read(parts_.db, [wanted](store::unit& u) {
        return u.sessions().users.find_by_id(wanted);
    });
    if (!found)
        co_return api_error{errc::user_not_found, "User not found", {}};
    parts_.users.put(*found);
    co_return std::move(*found);
}

boost::asio::awaitable<outcome<auth::user>> pipeline::authenticate(std::string_view authorization
) const {
    const auto id = parts_.authenticator.authenticate(authorization, parts_.clk.now());
    co_return co_await load_user(id);
}

boost::asio::awaitable<outcome<auth::user>> pipeline::authenticate_token(std::string_view token
) const {
    const auto id = parts_.authenticator.authenticate_token(token, parts_.clk.now());
    co_return co_await load_user(id);
}

void pipeline::add(http::router& routes, route r) const {
    const auto limit =
        r.body == body_kind::csv ? parts_.settings.csv_body_limit : parts_.settings.body_limit;
    auto verb = r.verb;
    auto pattern = r.pattern;
    routes.add({verb, std::move(pattern), limit, [this, spec = std::move(r)](http::request& req) {
                    return run(spec, req);
                }});
}

response pipeline::refusal_reply(http::refusal why, std::string message) {
    switch (why) {
        case http::refusal::malformed:
            return error_reply({errc::validation_failed, std::move(message), {}});
        case http::refusal::too_large:
            return error_reply({errc::payload_too_large, std::move(message), {}});
        case http::refusal::not_found:
            return error_reply({errc::not_found, std::move(message), {}});
        case http::refusal::method_not_allowed:
            return error_reply({errc::method_not_allowed, std::move(message), {}});
    }
    return error_reply({errc::internal, "Internal server error", {}});
}

boost::asio::awaitable<response> pipeline::steps(const route& r, request_context& ctx) const {
    if (r.bucket == rate_bucket::registrations) {
        if (auto wait = parts_.registrations.take(ctx.request.remote_address))
            co_return too_many_requests(*wait);
    }
    if (r.who != access::anyone) {
        auto who = co_await authenticate(ctx.header("authorization"));
        if (!who)
            co_return error_reply(who.error());
        ctx.principal = std::move(*who);
        ctx.request.actor = std::to_string(ctx.principal->id.value());
        if (r.bucket == rate_bucket::per_user) {
            if (auto wait = parts_.per_user.take(ctx.request.actor))
                co_return too_many_requests(*wait);
        }
        if (r.who == access::admin && !ctx.principal->is_admin()) {
            co_return error_reply({errc::forbidden, "Admin privileges required", {}});
        }
    }
    if (auto refused = check_body(r, ctx))
        co_return std::move(*refused);
    co_return co_await r.handle(ctx);
}

std::optional<response> pipeline::check_body(const route& r, request_context& ctx) const {
    const auto content_type = ctx.header("content-type");
    const auto& body = ctx.body();
    switch (r.body) {
        case body_kind::none:
        case body_kind::raw:
            return std::nullopt;
        case body_kind::json: {
            if (body.empty())
                return std::nullopt;
            if (!is_json_type(media_type(content_type)) || !charset_ok(content_type)) {
                return error_reply(
                    {errc::unsupported_media_type, "Content-Type must be application/json", {}}
                );
            }
            auto parsed = json::parse(body);
            if (!parsed)
                return error_reply({errc::invalid_json, "Request body is not valid JSON", {}});
            ctx.json = std::move(*parsed);
            return std::nullopt;
        }
        case body_kind::csv:
            if (media_type(content_type) != "text/csv" || !charset_ok(content_type))
                return error_reply(
                    {errc::unsupported_media_type, "Content-Type must be text/csv", {}}
                );
            if (!text::is_valid_utf8(body))
                return error_reply({errc::invalid_json, "Request body is not valid UTF-8", {}});
            return std::nullopt;
    }
    return std::nullopt;
}

boost::asio::awaitable<response> pipeline::run(const route& r, http::request& req) const {
    request_context ctx(req);
    try {
        co_return co_await steps(r, ctx);
    } catch (const api_exception& e) {
        if (e.error.code == errc::unavailable) {
            log_.warn("storage unavailable", {{"requestId", req.request_id}, {"route", req.route}});
        }
        co_return error_reply(e.error);
    } catch (const std::exception& e) {
        log_.error(
            "request failed",
            {{"requestId", req.request_id}, {"route", req.route}, {"error", e.what()}}
        );
    }
    co_return error_reply({errc::internal, "Internal server error", {}});
}

}  // namespace headcount::api
