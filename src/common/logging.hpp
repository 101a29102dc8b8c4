#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace spdlog {
class logger;
}

namespace headcount::log {

enum class level { debug, info, warn, error };

/// Parses `debug`/`info`/`warn`/`error` (and `warning`); nullopt for anything else.
std::optional<level> parse_level(std::string_view name);
/// Sets the threshold for every module's logger.
void set_level(level threshold);

/// One key and value of a log line. Values are borrowed: they only need to live for the call.
struct field {
    using value_type = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string_view>;

    field(std::string_view k, std::string_view v) : key(k), value(v) {}
    field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    field(std::string_view k, bool v) : key(k), value(v) {}
    field(std::string_view k, double v) : key(k), value(v) {}
    field(std::string_view k, std::nullptr_t) : key(k), value(nullptr) {}
    field(std::string_view k, value_type v) : key(k), value(v) {}
    template <class Integer>
    requires std::is_integral_v<Integer> field(std::string_view k, Integer v)
        : key(k), value(static_cast<std::int64_t>(v)) {}

    std::string_view key;
    value_type value;
};

/// A module's logger: writes one JSON object a line on stderr,
/// `{"time":…,"level":…,"module":…,"msg":…, fields…}`. Thread-safe.
class logger {
public:
    explicit logger(std::string module);

    bool enabled(level l) const;
    void write(level l, std::string_view msg, std::initializer_list<field> fields) const;

    void debug(std::string_view msg, std::initializer_list<field> fields = {}) const {
        write(level::debug, msg, fields);
    }
    void info(std::string_view msg, std::initializer_list<field> fields = {}) const {
        write(level::info, msg, fields);
    }
    void warn(std::string_view msg, std::initializer_list<field> fields = {}) const {
        write(level::warn, msg, fields);
    }
    void error(std::string_view msg, std::initializer_list<field> fields = {}) const {
        write(level::error, msg, fields);
    }

private:
    std::shared_ptr<spdlog::logger> sink_;
};

}  // namespace headcount::log
