#include "common/metrics.hpp"

#include "common/json.hpp"

namespace headcount {
namespace {

void append_number(std::string& out, double v) {
    json::write_number(out, v);
}

/// Prometheus label values escape backslash, quote and newline.
void append_label(std::string& out, std::string_view value) {
    out.push_back('"');
    for (const char c : value) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

}  // namespace

void metrics::observe_request(std::string_view route, unsigned status, double seconds) {
    const std::scoped_lock lock(mutex_);
    auto it = routes_.find(route);
    if (it == routes_.end())
        it = routes_.emplace(std::string(route), route_stats{}).first;
    auto& r = it->second;
    ++r.by_status[status];
    ++r.count;
    r.sum += seconds;
    for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
        if (seconds <= latency_buckets[i])
            ++r.buckets[i];
    }
}

std::atomic<std::uint64_t>& metrics::counter(const std::string& name, const std::string& help) {
    const std::scoped_lock lock(mutex_);
    auto& c = counters_[name];
    if (!c.value) {
        c.help = help;
        c.value = std::make_unique<std::atomic<std::uint64_t>>(0);
    }
    return *c.value;
}

void metrics::gauge(
    const std::string& name, const std::string& help, std::function<double()> read
) {
    const std::scoped_lock lock(mutex_);
    gauges_[name] = {help, std::move(read)};
}

void metrics::append_gauge(
    std::string& out, std::string_view name, std::string_view help, double value
) {
    out.append("# HELP ").append(name).append(" ").append(help).push_back('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(" ");
    append_number(out, value);
    out.push_back('\n');
}

std::string metrics::render() const {
    std::string out;
    std::map<std::string, named_gauge> gauges;
    {
        const std::scoped_lock lock(mutex_);
        out.append("# HELP headcount_http_requests_total HTTP requests by route and status.\n");
        out.append("# TYPE headcount_http_requests_total counter\n");
        for (const auto& [route, r] : routes_) {
            for (const auto& [status, n] : r.by_status) {
                out.append("headcount_http_requests_total{route=");
                append_label(out, route);
                out.append(",status=\"").append(std::to_string(status)).append("\"} ");
                out.append(std::to_string(n)).push_back('\n');
            }
        }
        out.append(
            "# HELP headcount_http_request_duration_seconds Time from request head to response.\n"
        );
        out.append("# TYPE headcount_http_request_duration_seconds histogram\n");
        for (const auto& [route, r] : routes_) {
            for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
                out.append("headcount_http_request_duration_seconds_bucket{route=");
                append_label(out, route);
                out.append(",le=\"");
                append_number(out, latency_buckets[i]);
                out.append("\"} ").append(std::to_string(r.buckets[i])).push_back('\n');
            }
            out.append("headcount_http_request_duration_seconds_bucket{route=");
            append_label(out, route);
            out.append(",le=\"+Inf\"} ").append(std::to_string(r.count)).push_back('\n');
            out.append("headcount_http_request_duration_seconds_sum{route=");
            append_label(out, route);
            out.append("} ");
            append_number(out, r.sum);
            out.push_back('\n');
            out.append("headcount_http_request_duration_seconds_count{route=");
            append_label(out, route);
            out.append("} ").append(std::to_string(r.count)).push_back('\n');
        }
        for (const auto& [name, c] : counters_) {
            out.append("# HELP ").append(name).append(" ").append(c.help).push_back('\n');
            out.append("# TYPE ").append(name).append(" counter\n");
            out.append(name).append(" ").append(std::to_string(c.value->load())).push_back('\n');
        }
        gauges = gauges_;
    }
    // Gauges are read outside the lock: a reader may take locks of its own.
    for (const auto& [name, g] : gauges)
        append_gauge(out, name, g.help, g.read());
    return out;
}

}  // namespace headcount
