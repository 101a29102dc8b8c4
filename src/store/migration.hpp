#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/embedded_file.hpp"

namespace headcount::store {

/// One numbered schema change, in a storage dialect. Applied once, in order, and recorded
/// in `schema_migrations`.
struct migration {
    int version = 0;
    std::string_view name;
    std::string_view sql;
};

/// The migrations of embedded files named `NNN_name.sql` (`003_add_rosters.sql` → version 3,
/// name "add_rosters"), sorted by version; throws on any other name.
std::vector<migration> migrations_from(std::span<const embedded_file> files);

}  // namespace headcount::store
