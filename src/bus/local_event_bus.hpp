#pragma once

#include <atomic>
#include <vector>

#include "bus/event_bus.hpp"

namespace headcount::bus {

/// In-process delivery only (no REDIS_URL): publishing delivers at once to the receivers.
/// Thread-safe once the receivers are registered.
class local_event_bus final : public event_bus {
public:
    explicit local_event_bus(std::atomic<std::uint64_t>& published) : published_(published) {}

    void publish(domain_event event) override;
    void on_deliver(delivery receiver) override { receivers_.push_back(std::move(receiver)); }
    bool healthy() const override { return true; }
    std::string kind() const override { return "local"; }
    void start() override {}
    void stop() override {}

private:
    std::atomic<std::uint64_t>& published_;
    std::vector<delivery> receivers_;
};

}  // namespace headcount::bus
