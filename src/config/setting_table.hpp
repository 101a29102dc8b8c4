#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace headcount::config {

/// One setting: its environment variable, the flag of the same meaning, its default as
/// shown in --help, and what it does.
struct setting_info {
    std::string_view env;
    std::string_view flag;
    std::string_view default_text;
    std::string_view help;
};

/// Every setting headcount reads, in --help order.
std::span<const setting_info> all_settings();

/// Looks a setting up by environment variable name; returns its raw value when it was given.
using setting_lookup = std::function<std::optional<std::string>(std::string_view env)>;

/// Builds and validates the settings. On a bad value returns the message that names the
/// setting, e.g. `PORT (--port) must be an integer from 0 to 65535, got "abc"`.
struct load_result {
    std::optional<settings> value;
    std::string error;
};
load_result load(const setting_lookup& lookup);

}  // namespace headcount::config
