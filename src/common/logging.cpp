#include "common/logging.hpp"

#include <charconv>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/json.hpp"

namespace headcount::log {
namespace {

std::string_view wire_name(spdlog::level::level_enum l) {
    switch (l) {
        case spdlog::level::warn:
            return "warn";
        case spdlog::level::err:
            return "error";
        case spdlog::level::debug:
            return "debug";
        default:
            return "info";
    }
}

/// The wire names of the levels, as `warn` rather than spdlog's `warning`.
class level_name final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest)
        override {
        const auto name = wire_name(msg.level);
        dest.append(name.data(), name.data() + name.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<level_name>();
    }
};

/// Every line one JSON object: spdlog writes the time (UTC, milliseconds), level and module;
/// the message and fields arrive already as JSON (`"msg",fields…`).
std::unique_ptr<spdlog::formatter> json_line_formatter() {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<level_name>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%*","module":"%n","msg":%v})"
    );
    return f;
}

/// All modules share one stderr sink, so lines from different threads never interleave.
std::shared_ptr<spdlog::sinks::sink> shared_sink() {
    static const auto instance = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    return instance;
}

spdlog::level::level_enum to_spdlog(level l) {
    switch (l) {
        case level::debug:
            return spdlog::level::debug;
        case level::info:
            return spdlog::level::info;
        case level::warn:
            return spdlog::level::warn;
        case level::error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

/// The module's logger in spdlog's registry (so `set_level` reaches it), made on first use.
std::shared_ptr<spdlog::logger> module_logger(const std::string& module) {
    static std::mutex creating;
    const std::scoped_lock lock(creating);
    if (auto existing = spdlog::get(module))
        return existing;
    auto made = std::make_shared<spdlog::logger>(module, shared_sink());
    made->flush_on(spdlog::level::trace);
    spdlog::initialize_logger(made);  // takes the level set; it also sets the default format
    made->set_formatter(json_line_formatter());
    return made;
}

void append_value(std::string& out, const field::value_type& value) {
    std::visit(
        [&out](const auto& v) {
            using type = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<type, std::nullptr_t>) {
                out.append("null");
            } else if constexpr (std::is_same_v<type, bool>) {
                out.append(v ? "true" : "false");
            } else if constexpr (std::is_same_v<type, std::int64_t>) {
                char buf[24];
                auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
                out.append(buf, end);
            } else if constexpr (std::is_same_v<type, double>) {
                json::write_number(out, v);
            } else {
                json::write_string(out, v);
            }
        },
        value
    );
}

}  // namespace

std::optional<level> parse_level(std::string_view name) {
    if (name == "debug")
        return level::debug;
    if (name == "info")
        return level::info;
    if (name == "warn" || name == "warning")
        return level::warn;
    if (name == "error")
        return level::error;
    return std::nullopt;
}

void set_level(level l) {
    spdlog::set_level(to_spdlog(l));
}

logger::logger(std::string module) : sink_(module_logger(module)) {}

bool logger::enabled(level l) const {
    return sink_->should_log(to_spdlog(l));
}

void logger::write(level l, std::string_view msg, std::initializer_list<field> fields) const {
    if (!enabled(l))
        return;
    std::string payload;
    payload.reserve(96);
    json::write_string(payload, msg);
    for (const auto& f : fields) {
        payload.push_back(',');
        json::write_string(payload, f.key);
        payload.push_back(':');
        append_value(payload, f.value);
    }
    sink_->log(to_spdlog(l), std::string_view(payload));
}

}  // namespace headcount::log
