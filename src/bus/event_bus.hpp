#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/domain_event.hpp"

namespace headcount::bus {

/// Carries domain events to the sockets of every instance. Publishing (the `event_sink`
/// side, called by storage after a commit) and delivering to this instance's sockets are
/// separate steps, so an implementation can route events through another process (Redis)
/// in between and still deliver each one locally exactly once.
class event_bus : public event_sink {
public:
    using delivery = std::function<void(domain_event)>;

    /// Registers this instance's receiver; call before events are published. The receiver
    /// is called once per event with its own copy (the last receiver gets the published
    /// event itself), on the publishing thread or the bus's own, and must not block.
    virtual void on_deliver(delivery receiver) = 0;
    /// Whether events reach the other instances right now (for /readyz).
    virtual bool healthy() const = 0;
    virtual std::string kind() const = 0;
    /// Starts carrying events to and from the other instances (in the background).
    virtual void start() = 0;
    /// Stops it; events published afterwards are still delivered locally.
    virtual void stop() = 0;

protected:
    /// Calls each receiver: copies for all but the last, which gets `event` itself.
    static void hand_to(const std::vector<delivery>& receivers, domain_event event) {
        for (std::size_t i = 0; i < receivers.size(); ++i) {
            if (i + 1 == receivers.size())
                receivers[i](std::move(event));
            else
                receivers[i](event);
        }
    }
};

}  // namespace headcount::bus
