#include "bus/local_event_bus.hpp"

namespace headcount::bus {

void local_event_bus::publish(domain_event event) {
    ++published_;
    for (const auto& receive : receivers_)
        receive(event);
}

}  // namespace headcount::bus
