#include "http/pipeline.hpp"

#include "common/json.hpp"
#include "common/text.hpp"
#include "http/error_reply.hpp"
#include "store/awaitable.hpp"

namespace headcount::http {
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

boost::asio::awaitable<response> pipeline::steps(const route& r, request_context& ctx) const {
    if (r.bucket == rate_bucket::registrations) {
        if (auto wait = parts_.registrations.take(ctx.remote_address))
            co_return too_many_requests(*wait);
    }
    if (r.who != access::anyone) {
        auto who = co_await authenticate(ctx.header("authorization"));
        if (!who)
            co_return error_reply(who.error());
        ctx.principal = std::move(*who);
        if (r.bucket == rate_bucket::per_user) {
            if (auto wait = parts_.per_user.take(std::to_string(ctx.principal->id.value()))) {
                co_return too_many_requests(*wait);
            }
        }
        if (r.who == access::admin && !ctx.principal->is_admin()) {
            co_return error_reply({errc::forbidden, "Admin privileges required", {}});
        }
    }
    const auto content_type = ctx.header("content-type");
    switch (r.body) {
        case body_kind::none:
        case body_kind::raw:
            break;
        case body_kind::json:
            if (!ctx.body.empty()) {
                if (!is_json_type(media_type(content_type)) || !charset_ok(content_type)) {
                    co_return error_reply(
                        {errc::unsupported_media_type, "Content-Type must be application/json", {}}
                    );
                }
                auto parsed = json::parse(ctx.body);
                if (!parsed) {
                    co_return error_reply({errc::invalid_json, "Request body is not valid JSON", {}}
                    );
                }
                ctx.json = std::move(*parsed);
            }
            break;
        case body_kind::csv:
            if (media_type(content_type) != "text/csv" || !charset_ok(content_type)) {
                co_return error_reply(
                    {errc::unsupported_media_type, "Content-Type must be text/csv", {}}
                );
            }
            if (!text::is_valid_utf8(ctx.body)) {
                co_return error_reply({errc::invalid_json, "Request body is not valid UTF-8", {}});
            }
            break;
    }
    co_return co_await r.handle(ctx);
}

boost::asio::awaitable<response> pipeline::run(const route& r, request_context& ctx) const {
    try {
        co_return co_await steps(r, ctx);
    } catch (const api_exception& e) {
        if (e.error.code == errc::unavailable) {
            log_.warn("storage unavailable", {{"requestId", ctx.request_id}, {"route", ctx.route}});
        }
        co_return error_reply(e.error);
    } catch (const std::exception& e) {
        log_.error(
            "request failed",
            {{"requestId", ctx.request_id}, {"route", ctx.route}, {"error", e.what()}}
        );
    }
    co_return error_reply({errc::internal, "Internal server error", {}});
}

}  // namespace headcount::http
