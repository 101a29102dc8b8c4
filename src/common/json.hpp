#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace headcount::json {

/// Writes `v` as compact JSON exactly as JavaScript's JSON.stringify would: member order
/// kept, numbers in ECMAScript's shortest form (`12.5`, `3`, `1e+21`), non-finite numbers
/// as `null`. Clients compare some of it byte for byte (Socket.IO echoes).
void write(std::string& out, const boost::json::value& v);
std::string to_string(const boost::json::value& v);
/// The same for an object, which a `value` parameter would copy first.
void write(std::string& out, const boost::json::object& o);
std::string to_string(const boost::json::object& o);

/// Appends one number in ECMAScript Number::toString form.
void write_number(std::string& out, double d);
/// Appends a quoted JSON string with the escapes JSON.stringify uses.
void write_string(std::string& out, std::string_view s);

/// Parses UTF-8 JSON text; nullopt when it is not valid UTF-8 or not valid JSON.
std::optional<boost::json::value> parse(std::string_view text);

}  // namespace headcount::json
