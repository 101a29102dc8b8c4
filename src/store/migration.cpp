#include "store/migration.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/embedded_file.hpp"

namespace headcount::store {

std::vector<migration> migrations_from(std::span<const embedded_file> files) {
    std::vector<migration> out;
    for (const auto& f : files) {
        const auto name = f.path.substr(f.path.rfind('/') + 1);
        int version = 0;
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
        if (ec != std::errc{} || *end != '_' || !name.ends_with(".sql")) {
            throw std::logic_error(
                "migration file name must be NNN_name.sql: " + std::string(name)
            );
        }
        const auto start = static_cast<std::size_t>(end - name.data()) + 1;
        out.push_back({version, name.substr(start, name.size() - start - 4), f.data});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.version < b.version;
    });
    return out;
}

}  // namespace headcount::store
