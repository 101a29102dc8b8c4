#include "store/sqlite/dialect.hpp"

#include "common/json.hpp"

namespace headcount::store::sqlite {

std::string dialect::list(const std::vector<std::string>& values) {
    std::string out = "[";
    for (const auto& v : values) {
        if (out.size() > 1)
            out.push_back(',');
        json::write_string(out, v);
    }
    out.push_back(']');
    return out;
}

std::string dialect::list(const std::vector<std::int64_t>& values) {
    std::string out = "[";
    for (const auto v : values) {
        if (out.size() > 1)
            out.push_back(',');
        out += std::to_string(v);
    }
    out.push_back(']');
    return out;
}

std::int64_t dialect::inserted_id(connection& db, query& insert) {
    insert.run();
    return db.last_insert_rowid();
}

}  // namespace headcount::store::sqlite
