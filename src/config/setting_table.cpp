#include "config/setting_table.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace headcount::config {
namespace {

constexpr std::array settings_table{
    setting_info{"PORT", "--port", "8080", "port to listen on (0 picks a free one)"},
    setting_info{"HOST", "--host", "0.0.0.0", "address to listen on"},
    setting_info{
        "DATABASE_URL", "--database-url", "sqlite:./headcount.db",
        "storage: sqlite:PATH or postgres://user:pass@host:port/db"},
    setting_info{
        "DB_POOL_SIZE", "--db-pool-size", "8",
        "PostgreSQL connections (SQLite: reader connections)"},
    setting_info{
        "REDIS_URL", "--redis-url", "", "fan events out between instances (redis://host:port)"},
    setting_info{
        "JWT_SECRET", "--jwt-secret", "",
        "HS256 secret for tokens (required unless HEADCOUNT_ENV=development)"},
    setting_info{
        "JWT_EXPIRES_IN", "--jwt-expires-in", "43200", "lifetime of issued tokens, seconds"},
    setting_info{
        "HEADCOUNT_ENV", "--headcount-env", "",
        "\"development\" allows a random JWT secret and turns on debug logs"},
    setting_info{"NODE_ENV", "--node-env", "", "\"development\" turns on debug logs"},
    setting_info{"LOG_LEVEL", "--log-level", "info", "debug | info | warn | error"},
    setting_info{"THREADS", "--threads", "0", "I/O threads (0 = one per core)"},
    setting_info{
        "PASSWORD_HASH_CONCURRENCY", "--password-hash-concurrency", "2",
        "argon2id hashes run at once (64 MiB each)"},
    setting_info{
        "ZOOM_WEBHOOK_SECRET_TOKEN", "--zoom-webhook-secret-token", "",
        "secret that verifies Zoom webhooks (unset: every webhook is rejected)"},
    setting_info{"ZOOM_ACCOUNT_ID", "--zoom-account-id", "", "Zoom API account (optional)"},
    setting_info{"ZOOM_CLIENT_ID", "--zoom-client-id", "", "Zoom API client id (optional)"},
    setting_info{
        "ZOOM_CLIENT_SECRET", "--zoom-client-secret", "", "Zoom API client secret (optional)"},
    setting_info{"ZOOM_API_BASE", "--zoom-api-base", "https://api.zoom.us/v2", "Zoom API base URL"},
    setting_info{"ZOOM_OAUTH_BASE", "--zoom-oauth-base", "https://zoom.us", "Zoom OAuth base URL"},
    setting_info{
        "SESSION_TIMEOUT", "--session-timeout", "1800",
        "seconds without join/activity before a session expires"},
    setting_info{"CLEANUP_INTERVAL", "--cleanup-interval", "60", "seconds between expiry passes"},
    setting_info{
        "LATE_AFTER_MINUTES", "--late-after-minutes", "5",
        "a first join later than this after the start is \"late\""},
    setting_info{
        "PRESENT_MIN_PERCENT", "--present-min-percent", "75",
        "attending less than this share of the meeting is \"partial\""},
    setting_info{
        "EARLY_JOIN_MINUTES", "--early-join-minutes", "15",
        "a session started this long before a meeting's next occurrence belongs to it"},
    setting_info{
        "RATE_LIMIT_AUTH_PER_MIN", "--rate-limit-auth-per-min", "10",
        "requests a minute per client address on /api/auth/* (0 = off)"},
    setting_info{
        "RATE_LIMIT_AUTH_BURST", "--rate-limit-auth-burst", "10",
        "bucket size for the above (0 = off)"},
    setting_info{
        "RATE_LIMIT_PER_MIN", "--rate-limit-per-min", "600",
        "requests a minute per user on the other /api routes (0 = off)"},
    setting_info{
        "RATE_LIMIT_BURST", "--rate-limit-burst", "120", "bucket size for the above (0 = off)"},
    setting_info{
        "TRUST_PROXY", "--trust-proxy", "0", "1 = take the client address from X-Forwarded-For"},
    setting_info{
        "HTTP_HEADER_TIMEOUT_MS", "--http-header-timeout-ms", "10000",
        "time a client has to send a complete request head"},
    setting_info{
        "HTTP_IDLE_TIMEOUT_MS", "--http-idle-timeout-ms", "60000",
        "an idle keep-alive connection is closed after this"},
    setting_info{
        "HTTP_BODY_TIMEOUT_MS", "--http-body-timeout-ms", "30000",
        "time a client has to send a request body"},
    setting_info{"BODY_LIMIT", "--body-limit", "1048576", "largest JSON body, bytes"},
    setting_info{
        "CSV_BODY_LIMIT", "--csv-body-limit", "16777216", "largest CSV import body, bytes"},
    setting_info{
        "SOCKETIO_RECOVERY_SECONDS", "--socketio-recovery-seconds", "120",
        "Socket.IO connection state recovery window (0 = off)"},
    setting_info{
        "SOCKETIO_PING_INTERVAL_MS", "--socketio-ping-interval-ms", "25000",
        "Socket.IO heartbeat interval"},
    setting_info{
        "SOCKETIO_PING_TIMEOUT_MS", "--socketio-ping-timeout-ms", "20000",
        "Socket.IO heartbeat timeout"},
    setting_info{
        "SOCKETIO_MAX_PAYLOAD", "--socketio-max-payload", "1000000",
        "largest Engine.IO POST body or WebSocket message, bytes"},
    setting_info{
        "SOCKETIO_SEND_QUEUE_LIMIT", "--socketio-send-queue-limit", "1024",
        "packets queued for one socket before it is disconnected as too slow"},
    setting_info{
        "CORS_ORIGINS", "--cors-origins", "",
        "origins allowed to use Socket.IO cross-origin, comma-separated (unset: same origin only)"},
};

/// Reads settings one by one, remembering the first bad value.
class reader {
public:
    explicit reader(const setting_lookup& lookup) : lookup_(lookup) {}

    std::string text(std::string_view env) {
        auto v = lookup_(env);
        if (v && !v->empty())
            return *v;
        return std::string(info(env).default_text);
    }

    /// An integer in [min, max].
    template <class Integer>
    Integer integer(std::string_view env, long long min, long long max) {
        const auto raw = text(env);
        long long value = 0;
        auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
        if (ec != std::errc{} || end != raw.data() + raw.size() || value < min || value > max) {
            fail(env, fmt::format("must be an integer from {} to {}", min, max), raw);
            return static_cast<Integer>(min);
        }
        return static_cast<Integer>(value);
    }

    /// A finite number in [min, max].
    double number(std::string_view env, double min, double max) {
        const auto raw = text(env);
        double value = 0;
        auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
        if (ec != std::errc{} || end != raw.data() + raw.size() || !std::isfinite(value) ||
            value < min || value > max) {
            fail(env, fmt::format("must be a number from {} to {}", min, max), raw);
            return min;
        }
        return value;
    }

    bool flag01(std::string_view env) {
        const auto raw = text(env);
        if (raw == "1" || raw == "true")
            return true;
        if (raw == "0" || raw == "false")
            return false;
        fail(env, "must be 0 or 1", raw);
        return false;
    }

    void fail(std::string_view env, std::string_view why, std::string_view raw) {
        if (!error_.empty())
            return;
        error_ = fmt::format("{} ({}) {}, got \"{}\"", env, info(env).flag, why, raw);
    }

    const std::string& error() const { return error_; }

private:
    static const setting_info& info(std::string_view env) {
        for (const auto& s : settings_table) {
            if (s.env == env)
                return s;
        }
        throw std::logic_error("unknown setting " + std::string(env));
    }

    const setting_lookup& lookup_;
    std::string error_;
};

std::vector<std::string> split_list(const std::string& raw) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= raw.size()) {
        auto end = raw.find(',', start);
        if (end == std::string::npos)
            end = raw.size();
        auto item = raw.substr(start, end - start);
        const auto first = item.find_first_not_of(' ');
        const auto last = item.find_last_not_of(' ');
        if (first != std::string::npos)
            out.push_back(item.substr(first, last - first + 1));
        start = end + 1;
    }
    return out;
}

}  // namespace

std::span<const setting_info> all_settings() {
    return settings_table;
}

load_result load(const setting_lookup& lookup) {
    using std::chrono::milliseconds;
    using std::chrono::seconds;
    reader r(lookup);
    settings s;
    constexpr long long max_ms = 24LL * 3600 * 1000;
    constexpr long long max_s = 10LL * 365 * 24 * 3600;

    s.development = r.text("HEADCOUNT_ENV") == "development" || r.text("NODE_ENV") == "development";
    s.log_level = r.text("LOG_LEVEL");
    if (s.log_level != "debug" && s.log_level != "info" && s.log_level != "warn" &&
        s.log_level != "warning" && s.log_level != "error") {
        r.fail("LOG_LEVEL", "must be debug, info, warn or error", s.log_level);
    }
    // An explicit LOG_LEVEL wins; otherwise development means debug logs.
    if (s.development && !lookup("LOG_LEVEL").has_value())
        s.log_level = "debug";
    s.redis_url = r.text("REDIS_URL");
    if (!s.redis_url.empty() && !s.redis_url.starts_with("redis://")) {
        r.fail("REDIS_URL", "must start with redis://", s.redis_url);
    }

    auto& h = s.http;
    h.host = r.text("HOST");
    h.port = r.integer<std::uint16_t>("PORT", 0, 65535);
    h.threads = r.integer<unsigned>("THREADS", 0, 256);
    h.header_timeout = milliseconds{r.integer<long long>("HTTP_HEADER_TIMEOUT_MS", 1, max_ms)};
    h.idle_timeout = milliseconds{r.integer<long long>("HTTP_IDLE_TIMEOUT_MS", 1, max_ms)};
    h.body_timeout = milliseconds{r.integer<long long>("HTTP_BODY_TIMEOUT_MS", 1, max_ms)};
    h.body_limit = r.integer<std::size_t>("BODY_LIMIT", 1, 1LL << 30);
    h.csv_body_limit = r.integer<std::size_t>("CSV_BODY_LIMIT", 1, 1LL << 30);
    h.trust_proxy = r.flag01("TRUST_PROXY");

    s.storage.database_url = r.text("DATABASE_URL");
    if (!s.storage.database_url.starts_with("sqlite:") &&
        !s.storage.database_url.starts_with("postgres://") &&
        !s.storage.database_url.starts_with("postgresql://")) {
        r.fail(
            "DATABASE_URL", "must be sqlite:PATH or postgres://user:pass@host:port/db",
            s.storage.database_url
        );
    }
    s.storage.pool_size = r.integer<unsigned>("DB_POOL_SIZE", 1, 256);

    s.auth.jwt_secret = r.text("JWT_SECRET");
    s.auth.jwt_lifetime = seconds{r.integer<long long>("JWT_EXPIRES_IN", 1, max_s)};
    s.auth.password_hash_concurrency = r.integer<unsigned>("PASSWORD_HASH_CONCURRENCY", 1, 64);

    s.sessions.session_timeout = seconds{r.integer<long long>("SESSION_TIMEOUT", 1, max_s)};
    s.sessions.cleanup_interval = seconds{r.integer<long long>("CLEANUP_INTERVAL", 0, max_s)};

    s.attendance.late_after_minutes = r.number("LATE_AFTER_MINUTES", 0, 1e6);
    s.attendance.present_min_percent = r.number("PRESENT_MIN_PERCENT", 0, 100);
    s.attendance.early_join_window =
        milliseconds{r.integer<long long>("EARLY_JOIN_MINUTES", 0, 10080) * 60000};

    s.rate_limits.auth.per_minute = r.number("RATE_LIMIT_AUTH_PER_MIN", 0, 1e12);
    s.rate_limits.auth.burst = r.number("RATE_LIMIT_AUTH_BURST", 0, 1e12);
    s.rate_limits.user.per_minute = r.number("RATE_LIMIT_PER_MIN", 0, 1e12);
    s.rate_limits.user.burst = r.number("RATE_LIMIT_BURST", 0, 1e12);

    auto& rt = s.realtime;
    rt.recovery = seconds{r.integer<long long>("SOCKETIO_RECOVERY_SECONDS", 0, max_s)};
    rt.ping_interval = milliseconds{r.integer<long long>("SOCKETIO_PING_INTERVAL_MS", 1, max_ms)};
    rt.ping_timeout = milliseconds{r.integer<long long>("SOCKETIO_PING_TIMEOUT_MS", 1, max_ms)};
    rt.max_payload = r.integer<std::size_t>("SOCKETIO_MAX_PAYLOAD", 1, 1LL << 30);
    rt.send_queue_limit = r.integer<std::size_t>("SOCKETIO_SEND_QUEUE_LIMIT", 1, 1 << 24);
    rt.cors_origins = split_list(r.text("CORS_ORIGINS"));

    auto& z = s.zoom;
    z.webhook_secret = r.text("ZOOM_WEBHOOK_SECRET_TOKEN");
    z.account_id = r.text("ZOOM_ACCOUNT_ID");
    z.client_id = r.text("ZOOM_CLIENT_ID");
    z.client_secret = r.text("ZOOM_CLIENT_SECRET");
    z.api_base = r.text("ZOOM_API_BASE");
    z.oauth_base = r.text("ZOOM_OAUTH_BASE");

    if (!r.error().empty())
        return {std::nullopt, r.error()};
    return {std::move(s), {}};
}

}  // namespace headcount::config
