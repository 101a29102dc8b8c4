#include "api/error_reply.hpp"

namespace headcount::api {

unsigned status_of(errc code) {
    switch (code) {
        case errc::invalid_json:
        case errc::validation_failed:
            return 400;
        case errc::missing_token:
        case errc::invalid_token:
        case errc::user_not_found:
        case errc::invalid_credentials:
        case errc::invalid_signature:
            return 401;
        case errc::forbidden:
            return 403;
        case errc::no_active_session:
        case errc::not_found:
            return 404;
        case errc::method_not_allowed:
            return 405;
        case errc::conflict:
            return 409;
        case errc::payload_too_large:
            return 413;
        case errc::unsupported_media_type:
            return 415;
        case errc::rate_limited:
            return 429;
        case errc::unavailable:
            return 503;
        case errc::internal:
            return 500;
    }
    return 500;
}

std::string_view code_name(errc code) {
    switch (code) {
        case errc::invalid_json:
            return "invalid_json";
        case errc::validation_failed:
            return "validation_failed";
        case errc::missing_token:
            return "missing_token";
        case errc::invalid_token:
            return "invalid_token";
        case errc::user_not_found:
            return "user_not_found";
        case errc::invalid_credentials:
            return "invalid_credentials";
        case errc::invalid_signature:
            return "invalid_signature";
        case errc::forbidden:
            return "forbidden";
        case errc::no_active_session:
            return "no_active_session";
        case errc::not_found:
            return "not_found";
        case errc::method_not_allowed:
            return "method_not_allowed";
        case errc::conflict:
            return "conflict";
        case errc::payload_too_large:
            return "payload_too_large";
        case errc::unsupported_media_type:
            return "unsupported_media_type";
        case errc::rate_limited:
            return "rate_limited";
        case errc::unavailable:
            return "unavailable";
        case errc::internal:
            return "internal";
    }
    return "internal";
}

response error_reply(const api_error& error) {
    boost::json::object body;
    body["success"] = false;
    body["code"] = code_name(error.code);
    body["message"] = error.message;
    if (error.code == errc::validation_failed) {
        boost::json::object fields;
        for (const auto& [name, why] : error.fields)
            fields[name] = why;
        body["fields"] = std::move(fields);
    }
    auto reply = json_response(status_of(error.code), body);
    if (error.retry_after)
        reply.header("Retry-After", std::to_string(error.retry_after->count()));
    return reply;
}

}  // namespace headcount::api
