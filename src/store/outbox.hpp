#pragma once

#include <utility>
#include <vector>

#include "common/domain_event.hpp"

namespace headcount::store {

/// Events a job raised, held until its transaction commits. Belongs to one storage unit.
class outbox final : public event_sink {
public:
    void publish(domain_event event) override { events_.push_back(std::move(event)); }
    std::vector<domain_event> take() { return std::exchange(events_, {}); }
    void clear() { events_.clear(); }

private:
    std::vector<domain_event> events_;
};

}  // namespace headcount::store
