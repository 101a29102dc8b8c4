#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/domain_event.hpp"
#include "config/settings.hpp"
#include "store/database.hpp"

namespace headcount::app {

/// Opens the storage a DATABASE_URL names and applies pending migrations; the versions
/// applied are returned in `applied`. Throws with a readable message when it cannot.
std::unique_ptr<store::database> open_database(
    const config::storage_settings& settings,
    const clock& clk,
    event_sink& publish_to,
    std::vector<int>& applied
);

/// The file of a `sqlite:PATH` URL (`sqlite:./x.db`, `sqlite:///tmp/x.db`).
std::string sqlite_path(const std::string& url);

}  // namespace headcount::app
