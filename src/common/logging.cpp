#include "common/logging.hpp"

#include <atomic>
#include <charconv>
#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/json.hpp"
#include "common/time_format.hpp"

namespace headcount::log {
namespace {

std::atomic<level> threshold{level::info};

/// All modules share one stderr sink, so lines from different threads never interleave.
std::shared_ptr<spdlog::logger> shared_sink() {
    static const std::shared_ptr<spdlog::logger> instance = [] {
        auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        auto l = std::make_shared<spdlog::logger>("headcount", sink);
        l->set_pattern("%v");
        l->set_level(spdlog::level::trace);
        l->flush_on(spdlog::level::trace);
        return l;
    }();
    return instance;
}

constexpr std::string_view name_of(level l) {
    switch (l) {
        case level::debug:
            return "debug";
        case level::info:
            return "info";
        case level::warn:
            return "warn";
        case level::error:
            return "error";
    }
    return "info";
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
    threshold = l;
}

logger::logger(std::string module) : module_(std::move(module)), sink_(shared_sink()) {}

bool logger::enabled(level l) const {
    return l >= threshold.load(std::memory_order_relaxed);
}

void logger::write(level l, std::string_view msg, std::initializer_list<field> fields) const {
    if (!enabled(l))
        return;
    std::string line;
    line.reserve(128);
    line.append(R"({"time":")");
    append_iso(
        line,
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())
    );
    line.append(R"(","level":")");
    line.append(name_of(l));
    line.append(R"(","module":)");
    json::write_string(line, module_);
    line.append(R"(,"msg":)");
    json::write_string(line, msg);
    for (const auto& f : fields) {
        line.push_back(',');
        json::write_string(line, f.key);
        line.push_back(':');
        append_value(line, f.value);
    }
    line.push_back('}');
    sink_->log(spdlog::level::info, std::string_view(line));
}

}  // namespace headcount::log
