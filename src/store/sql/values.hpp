#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.hpp"

namespace headcount::store::sql::detail {

/// A time as the epoch milliseconds every backend stores, or NULL.
inline std::optional<std::int64_t> epoch(const std::optional<timestamp>& t) {
    if (!t)
        return std::nullopt;
    return to_epoch_ms(*t);
}

}  // namespace headcount::store::sql::detail
