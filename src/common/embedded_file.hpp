#pragma once

#include <span>
#include <string_view>

namespace headcount {

/// A file compiled into the binary (see cmake/embed.cmake).
struct embedded_file {
    std::string_view path;
    std::string_view data;
    std::string_view sha256;  ///< lower-case hex digest of `data`, computed at build time
};

}  // namespace headcount
