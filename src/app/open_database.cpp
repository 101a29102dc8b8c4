#include "app/open_database.hpp"

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "store/postgres/postgres_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace headcount::app {

std::string sqlite_path(const std::string& url) {
    std::string path = url.substr(std::string_view("sqlite:").size());
    if (path.starts_with("//"))
        path.erase(0, 2);
    return path.empty() ? "./headcount.db" : path;
}

std::unique_ptr<store::database> open_database(
    const config::storage_settings& settings,
    const clock& clk,
    event_sink& publish_to,
    std::vector<int>& applied
) {
    const auto& url = settings.database_url;
    if (url.starts_with("sqlite:")) {
        const auto path = sqlite_path(url);
        if (const auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
            std::filesystem::create_directories(parent);
        }
        auto db = std::make_unique<store::sqlite::sqlite_database>(
            path, settings.pool_size, clk, publish_to
        );
        applied = db->applied_migrations();
        return db;
    }
    if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        auto db = std::make_unique<store::postgres::postgres_database>(
            url, settings.pool_size, clk, publish_to
        );
        applied = db->applied_migrations();
        return db;
    }
    throw std::runtime_error("DATABASE_URL must be sqlite:PATH or postgres://...");
}

}  // namespace headcount::app
