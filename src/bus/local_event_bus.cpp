#include "bus/local_event_bus.hpp"

namespace headcount::bus {

void local_event_bus::publish(domain_event event) {
    ++published_;
    hand_to(receivers_, std::move(event));
}

}  // namespace headcount::bus
