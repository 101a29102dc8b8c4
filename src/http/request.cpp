#include "http/request.hpp"

#include <stdexcept>

namespace headcount::http {

std::string_view to_string(method m) {
    switch (m) {
        case method::get:
            return "GET";
        case method::head:
            return "HEAD";
        case method::post:
            return "POST";
        case method::put:
            return "PUT";
        case method::patch:
            return "PATCH";
        case method::del:
            return "DELETE";
        case method::options:
            return "OPTIONS";
        case method::other:
            return "OTHER";
    }
    return "OTHER";
}

std::string_view request::header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_name)
            return value;
    }
    return {};
}

const std::string& request::param(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name)
            return value;
    }
    throw std::logic_error("route has no parameter " + std::string(name));
}

std::optional<std::string_view> request::query_value(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name)
            return value;
    }
    return std::nullopt;
}

}  // namespace headcount::http
