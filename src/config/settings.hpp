#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace headcount::config {

/// The HTTP listener and its limits.
struct http_settings {
    std::string host = "0.0.0.0";
    std::uint16_t port = 8080;
    unsigned threads = 0;  ///< I/O threads; 0 = one per core
    std::chrono::milliseconds header_timeout{10000};
    std::chrono::milliseconds idle_timeout{60000};
    std::chrono::milliseconds body_timeout{30000};
    std::size_t body_limit = 1024 * 1024;
    std::size_t csv_body_limit = 16 * 1024 * 1024;
    bool trust_proxy = false;
};

/// Storage: `sqlite:PATH` or `postgres://...`.
struct storage_settings {
    std::string database_url = "sqlite:./headcount.db";
    unsigned pool_size = 8;  ///< PostgreSQL connections; SQLite reader connections
};

/// Tokens and passwords.
struct auth_settings {
    std::string jwt_secret;
    std::chrono::seconds jwt_lifetime{43200};
    unsigned password_hash_concurrency = 2;  ///< argon2id needs 64 MiB each
};

/// User sessions and their expiry.
struct session_settings {
    std::chrono::seconds session_timeout{1800};
    std::chrono::seconds cleanup_interval{60};
};

/// Attendance statuses and occurrences.
struct attendance_settings {
    double late_after_minutes = 5;
    double present_min_percent = 75;
    /// A session started this long before its meeting's next occurrence starts belongs to it
    /// (a student opening the meeting page before the host starts the class).
    std::chrono::milliseconds early_join_window{15 * 60 * 1000};
};

/// One token bucket configuration; `per_minute == 0` or `burst == 0` turns it off.
struct rate_limit {
    double per_minute = 0;
    double burst = 0;
    bool enabled() const { return per_minute > 0 && burst > 0; }
};

struct rate_limit_settings {
    rate_limit auth{10, 10};
    rate_limit user{600, 120};
};

/// Socket.IO / Engine.IO.
struct realtime_settings {
    std::chrono::seconds recovery{120};
    std::chrono::milliseconds ping_interval{25000};
    std::chrono::milliseconds ping_timeout{20000};
    std::size_t max_payload = 1000000;
    std::size_t send_queue_limit = 1024;  ///< packets queued per socket before it is dropped
    std::vector<std::string> cors_origins;
};

/// Zoom webhook verification and the (optional) API credentials.
struct zoom_settings {
    std::string webhook_secret;
    std::string account_id;
    std::string client_id;
    std::string client_secret;
    std::string api_base = "https://api.zoom.us/v2";
    std::string oauth_base = "https://zoom.us";
};

/// Everything `serve` runs with.
struct settings {
    bool development = false;  ///< HEADCOUNT_ENV or NODE_ENV is "development"
    std::string log_level = "info";
    std::string redis_url;
    http_settings http;
    storage_settings storage;
    auth_settings auth;
    session_settings sessions;
    attendance_settings attendance;
    rate_limit_settings rate_limits;
    realtime_settings realtime;
    zoom_settings zoom;
};

}  // namespace headcount::config
