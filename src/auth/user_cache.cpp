#include "auth/user_cache.hpp"

namespace headcount::auth {

std::optional<user> user_cache::find(user_id id) const {
    const std::scoped_lock lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end() || it->second.expires <= clock_.now())
        return std::nullopt;
    return it->second.value;
}

void user_cache::put(const user& u) {
    const std::scoped_lock lock(mutex_);
    if (entries_.size() >= capacity_)
        entries_.clear();
    entries_.insert_or_assign(u.id, entry{u, clock_.now() + ttl_});
}

void user_cache::evict(user_id id) {
    const std::scoped_lock lock(mutex_);
    entries_.erase(id);
}

}  // namespace headcount::auth
