#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace headcount {

/// Prometheus metrics for /metrics: HTTP requests by route and status with a latency
/// histogram, plus counters and gauges other modules register. Thread-safe.
class metrics {
public:
    /// Upper bounds of the latency histogram, seconds.
    static constexpr std::array<double, 12> latency_buckets{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    void observe_request(std::string_view route, unsigned status, double seconds);

    /// A monotonically increasing count, created on first use; the reference stays valid.
    std::atomic<std::uint64_t>& counter(const std::string& name, const std::string& help);
    /// A value read when /metrics is rendered.
    void gauge(const std::string& name, const std::string& help, std::function<double()> read);

    /// The Prometheus text exposition format (version 0.0.4).
    std::string render() const;
    /// Appends one gauge in that format: for values sampled by the caller at scrape time.
    static void append_gauge(
        std::string& out, std::string_view name, std::string_view help, double value
    );

private:
    struct route_stats {
        std::map<unsigned, std::uint64_t> by_status;
        std::array<std::uint64_t, latency_buckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct named_counter {
        std::string help;
        std::unique_ptr<std::atomic<std::uint64_t>> value;
    };
    struct named_gauge {
        std::string help;
        std::function<double()> read;
    };

    mutable std::mutex mutex_;
    std::map<std::string, route_stats, std::less<>> routes_;
    std::map<std::string, named_counter> counters_;
    std::map<std::string, named_gauge> gauges_;
};

}  // namespace headcount
