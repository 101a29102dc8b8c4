#include "bus/local_event_bus.hpp"

namespace headcount::bus {

void local_event_bus::publish(domain_event event) {
    ++published_;
    for (std::size_t i = 0; i < receivers_.size(); ++i) {
        if (i + 1 == receivers_.size())
            receivers_[i](std::move(event));
        else
            receivers_[i](event);
    }
}

}  // namespace headcount::bus
