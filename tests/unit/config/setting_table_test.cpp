#include "config/setting_table.hpp"

#include <cctype>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace headcount::config {
namespace {

using raw_values = std::map<std::string, std::string, std::less<>>;

setting_lookup from(const raw_values& values) {
    return [&values](std::string_view env) -> std::optional<std::string> {
        if (auto it = values.find(env); it != values.end())
            return it->second;
        return std::nullopt;
    };
}

settings loaded(const raw_values& values) {
    auto r = load(from(values));
    EXPECT_TRUE(r.value.has_value()) << r.error;
    return r.value.value_or(settings{});
}

std::string error_of(const raw_values& values) {
    auto r = load(from(values));
    EXPECT_FALSE(r.value.has_value());
    return r.error;
}

TEST(SettingTable, ListsEveryContractSettingOnceWithAFlagOfTheSameName) {
    std::set<std::string_view> envs;
    for (const auto& s : all_settings()) {
        EXPECT_TRUE(envs.insert(s.env).second) << s.env;
        std::string flag = "--";
        for (const char c : s.env)
            flag.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(c)));
        EXPECT_EQ(s.flag, flag);
        EXPECT_FALSE(s.help.empty()) << s.env;
    }
    for (const auto* env :
         {"PORT",
          "HOST",
          "DATABASE_URL",
          "REDIS_URL",
          "JWT_SECRET",
          "JWT_EXPIRES_IN",
          "ZOOM_WEBHOOK_SECRET_TOKEN",
          "ZOOM_ACCOUNT_ID",
          "ZOOM_CLIENT_ID",
          "ZOOM_CLIENT_SECRET",
          "ZOOM_API_BASE",
          "ZOOM_OAUTH_BASE",
          "LOG_LEVEL",
          "HEADCOUNT_ENV",
          "NODE_ENV",
          "HTTP_HEADER_TIMEOUT_MS",
          "RATE_LIMIT_AUTH_PER_MIN",
          "RATE_LIMIT_AUTH_BURST",
          "RATE_LIMIT_ACCOUNT_PER_MIN",
          "RATE_LIMIT_REGISTER_PER_MIN",
          "RATE_LIMIT_PER_MIN",
          "RATE_LIMIT_BURST",
          "TRUST_PROXY",
          "LATE_AFTER_MINUTES",
          "SOCKETIO_RECOVERY_SECONDS",
          "SOCKETIO_PING_INTERVAL_MS",
          "SOCKETIO_PING_TIMEOUT_MS",
          "CORS_ORIGINS"}) {
        EXPECT_TRUE(envs.contains(env)) << env;
    }
}

TEST(SettingTable, DefaultsAreTheContractsAndMatchTheHelpText) {
    const auto s = loaded({});
    EXPECT_EQ(s.http.host, "0.0.0.0");
    EXPECT_EQ(s.http.port, 8080);
    EXPECT_EQ(s.http.threads, 0U);
    EXPECT_EQ(s.http.header_timeout, std::chrono::milliseconds(10000));
    EXPECT_EQ(s.http.idle_timeout, std::chrono::milliseconds(60000));
    EXPECT_EQ(s.http.body_timeout, std::chrono::milliseconds(30000));
    EXPECT_EQ(s.http.body_limit, 1024U * 1024U);
    EXPECT_EQ(s.http.csv_body_limit, 16U * 1024U * 1024U);
    EXPECT_FALSE(s.http.trust_proxy);
    EXPECT_EQ(s.storage.database_url, "sqlite:./headcount.db");
    EXPECT_EQ(s.storage.pool_size, 8U);
    EXPECT_EQ(s.redis_url, "");
    EXPECT_EQ(s.auth.jwt_secret, "");
    EXPECT_EQ(s.auth.jwt_lifetime, std::chrono::seconds(43200));
    EXPECT_EQ(s.auth.password_hash_concurrency, 2U);
    EXPECT_FALSE(s.development);
    EXPECT_EQ(s.log_level, "info");
    EXPECT_EQ(s.sessions.session_timeout, std::chrono::seconds(1800));
    EXPECT_EQ(s.sessions.cleanup_interval, std::chrono::seconds(60));
    EXPECT_EQ(s.attendance.late_after_minutes, 5);
    EXPECT_EQ(s.attendance.present_min_percent, 75);
    EXPECT_EQ(s.rate_limits.failed_sign_ins.per_minute, 10);
    EXPECT_EQ(s.rate_limits.failed_sign_ins.burst, 10);
    EXPECT_EQ(s.rate_limits.failed_sign_ins_per_account.per_minute, 5);
    EXPECT_EQ(s.rate_limits.failed_sign_ins_per_account.burst, 5);
    EXPECT_EQ(s.rate_limits.registrations.per_minute, 60);
    EXPECT_EQ(s.rate_limits.registrations.burst, 60);
    EXPECT_EQ(s.rate_limits.user.per_minute, 600);
    EXPECT_EQ(s.rate_limits.user.burst, 120);
    EXPECT_EQ(s.realtime.recovery, std::chrono::seconds(120));
    EXPECT_EQ(s.realtime.ping_interval, std::chrono::milliseconds(25000));
    EXPECT_EQ(s.realtime.ping_timeout, std::chrono::milliseconds(20000));
    EXPECT_EQ(s.realtime.max_payload, 1000000U);
    EXPECT_EQ(s.realtime.send_queue_limit, 1024U);
    EXPECT_TRUE(s.realtime.cors_origins.empty());
    EXPECT_EQ(s.zoom.webhook_secret, "");
    EXPECT_EQ(s.zoom.api_base, "https://api.zoom.us/v2");
    EXPECT_EQ(s.zoom.oauth_base, "https://zoom.us");

    // What --help shows as the default is what an empty environment gives.
    raw_values from_help;
    for (const auto& info : all_settings()) {
        if (!info.default_text.empty())
            from_help.emplace(std::string(info.env), std::string(info.default_text));
    }
    const auto same = loaded(from_help);
    EXPECT_EQ(same.http.port, s.http.port);
    EXPECT_EQ(same.http.body_limit, s.http.body_limit);
    EXPECT_EQ(same.auth.jwt_lifetime, s.auth.jwt_lifetime);
    EXPECT_EQ(same.storage.database_url, s.storage.database_url);
    EXPECT_EQ(same.realtime.recovery, s.realtime.recovery);
}

TEST(SettingTable, ReadsGivenValues) {
    const auto s = loaded({
        {"PORT", "0"},
        {"HOST", "127.0.0.1"},
        {"DATABASE_URL", "sqlite:/tmp/x.db"},
        {"REDIS_URL", "redis://127.0.0.1:6379"},
        {"JWT_SECRET", "s3cret"},
        {"JWT_EXPIRES_IN", "60"},
        {"THREADS", "3"},
        {"HTTP_HEADER_TIMEOUT_MS", "250"},
        {"BODY_LIMIT", "100"},
        {"TRUST_PROXY", "1"},
        {"LATE_AFTER_MINUTES", "2.5"},
        {"RATE_LIMIT_PER_MIN", "0"},
        {"RATE_LIMIT_ACCOUNT_PER_MIN", "0"},
        {"RATE_LIMIT_REGISTER_PER_MIN", "2.5"},
        {"CORS_ORIGINS", " https://a.example , ,https://b.example"},
        {"ZOOM_WEBHOOK_SECRET_TOKEN", "zz"},
    });
    EXPECT_EQ(s.http.port, 0);
    EXPECT_EQ(s.http.host, "127.0.0.1");
    EXPECT_EQ(s.storage.database_url, "sqlite:/tmp/x.db");
    EXPECT_EQ(s.redis_url, "redis://127.0.0.1:6379");
    EXPECT_EQ(s.auth.jwt_secret, "s3cret");
    EXPECT_EQ(s.auth.jwt_lifetime, std::chrono::seconds(60));
    EXPECT_EQ(s.http.threads, 3U);
    EXPECT_EQ(s.http.header_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(s.http.body_limit, 100U);
    EXPECT_TRUE(s.http.trust_proxy);
    EXPECT_EQ(s.attendance.late_after_minutes, 2.5);
    EXPECT_FALSE(s.rate_limits.user.enabled());
    EXPECT_TRUE(s.rate_limits.failed_sign_ins.enabled());
    EXPECT_FALSE(s.rate_limits.failed_sign_ins_per_account.enabled());
    EXPECT_EQ(s.rate_limits.registrations.per_minute, 2.5);
    EXPECT_EQ(s.rate_limits.registrations.burst, 2.5);
    EXPECT_EQ(
        s.realtime.cors_origins,
        (std::vector<std::string>{"https://a.example", "https://b.example"})
    );
    EXPECT_EQ(s.zoom.webhook_secret, "zz");
}

TEST(SettingTable, UnsetRegistrationsFollowTheSignInLimit) {
    const auto raised = loaded({{"RATE_LIMIT_AUTH_PER_MIN", "100000000"}});
    EXPECT_EQ(raised.rate_limits.registrations.per_minute, 600000000);
    EXPECT_EQ(raised.rate_limits.registrations.burst, 600000000);
    const auto off = loaded({{"RATE_LIMIT_AUTH_PER_MIN", "0"}});
    EXPECT_FALSE(off.rate_limits.registrations.enabled());
    const auto own =
        loaded({{"RATE_LIMIT_AUTH_PER_MIN", "0"}, {"RATE_LIMIT_REGISTER_PER_MIN", "7"}});
    EXPECT_EQ(own.rate_limits.registrations.per_minute, 7);
}

TEST(SettingTable, AnEmptyValueMeansTheDefault) {
    const auto s = loaded({{"PORT", ""}, {"LOG_LEVEL", ""}});
    EXPECT_EQ(s.http.port, 8080);
    EXPECT_EQ(s.log_level, "info");
}

TEST(SettingTable, DevelopmentComesFromHeadcountEnvOrNodeEnvAndMeansDebugLogs) {
    EXPECT_TRUE(loaded({{"HEADCOUNT_ENV", "development"}}).development);
    EXPECT_TRUE(loaded({{"NODE_ENV", "development"}}).development);
    EXPECT_FALSE(loaded({{"NODE_ENV", "production"}}).development);
    EXPECT_EQ(loaded({{"HEADCOUNT_ENV", "development"}}).log_level, "debug");
    // An explicit LOG_LEVEL wins over development's debug.
    EXPECT_EQ(loaded({{"HEADCOUNT_ENV", "development"}, {"LOG_LEVEL", "warn"}}).log_level, "warn");
    // Without JWT_SECRET the settings load; `serve` is what refuses outside development.
    EXPECT_EQ(loaded({{"HEADCOUNT_ENV", "development"}}).auth.jwt_secret, "");
}

TEST(SettingTable, EachBadValueIsRefusedWithAMessageNamingTheSettingAndItsFlag) {
    struct vector {
        std::string env;
        std::string value;
        std::string why;
    };
    // The message is `ENV (--flag) why, got "value"`.
    const vector vectors[] = {
        {"PORT", "abc", "must be an integer from 0 to 65535"},
        {"PORT", "65536", "must be an integer from 0 to 65535"},
        {"PORT", "-1", "must be an integer from 0 to 65535"},
        {"PORT", "80x", "must be an integer from 0 to 65535"},
        {"PORT", " 80", "must be an integer from 0 to 65535"},
        {"THREADS", "257", "must be an integer from 0 to 256"},
        {"DB_POOL_SIZE", "0", "must be an integer from 1 to 256"},
        {"JWT_EXPIRES_IN", "0", "must be an integer from 1 to 315360000"},
        {"JWT_EXPIRES_IN", "12h", "must be an integer from 1 to 315360000"},
        {"HTTP_HEADER_TIMEOUT_MS", "0", "must be an integer from 1 to 86400000"},
        {"HTTP_IDLE_TIMEOUT_MS", "x", "must be an integer from 1 to 86400000"},
        {"HTTP_BODY_TIMEOUT_MS", "1.5", "must be an integer from 1 to 86400000"},
        {"BODY_LIMIT", "0", "must be an integer from 1 to 1073741824"},
        {"CSV_BODY_LIMIT", "huge", "must be an integer from 1 to 1073741824"},
        {"PASSWORD_HASH_CONCURRENCY", "0", "must be an integer from 1 to 64"},
        {"SESSION_TIMEOUT", "0", "must be an integer from 1 to 315360000"},
        {"CLEANUP_INTERVAL", "-5", "must be an integer from 0 to 315360000"},
        {"LATE_AFTER_MINUTES", "soon", "must be a number from 0 to 1000000"},
        {"PRESENT_MIN_PERCENT", "101", "must be a number from 0 to 100"},
        {"PRESENT_MIN_PERCENT", "nan", "must be a number from 0 to 100"},
        {"RATE_LIMIT_AUTH_PER_MIN", "-1", "must be a number from 0 to 1000000000000"},
        {"RATE_LIMIT_AUTH_BURST", "lots", "must be a number from 0 to 1000000000000"},
        {"RATE_LIMIT_ACCOUNT_PER_MIN", "-5", "must be a number from 0 to 1000000000000"},
        {"RATE_LIMIT_REGISTER_PER_MIN", "many", "must be a number from 0 to 1000000000000"},
        {"RATE_LIMIT_PER_MIN", "inf", "must be a number from 0 to 1000000000000"},
        {"RATE_LIMIT_BURST", "1e13", "must be a number from 0 to 1000000000000"},
        {"TRUST_PROXY", "yes", "must be 0 or 1"},
        {"LOG_LEVEL", "verbose", "must be debug, info, warn or error"},
        {"REDIS_URL", "127.0.0.1:6379", "must start with redis://"},
        {"DATABASE_URL", "mysql://x", "must be sqlite:PATH or postgres://user:pass@host:port/db"},
        {"SOCKETIO_RECOVERY_SECONDS", "-1", "must be an integer from 0 to 315360000"},
        {"SOCKETIO_PING_INTERVAL_MS", "0", "must be an integer from 1 to 86400000"},
        {"SOCKETIO_PING_TIMEOUT_MS", "fast", "must be an integer from 1 to 86400000"},
        {"SOCKETIO_MAX_PAYLOAD", "0", "must be an integer from 1 to 1073741824"},
        {"SOCKETIO_SEND_QUEUE_LIMIT", "0", "must be an integer from 1 to 16777216"},
    };
    for (const auto& v : vectors) {
        std::string flag = "--";
        for (const char c : v.env)
            flag.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(c)));
        EXPECT_EQ(
            error_of({{v.env, v.value}}),
            v.env + " (" + flag + ") " + v.why + ", got \"" + v.value + "\""
        );
    }
}

TEST(SettingTable, TheFirstBadValueIsReported) {
    EXPECT_EQ(
        error_of({{"PORT", "x"}, {"BODY_LIMIT", "y"}}),
        R"(PORT (--port) must be an integer from 0 to 65535, got "x")"
    );
}

TEST(SettingTable, BoundaryValuesAreAccepted) {
    EXPECT_EQ(loaded({{"PORT", "65535"}}).http.port, 65535);
    EXPECT_EQ(
        loaded({{"DATABASE_URL", "postgres://u:p@h:5432/d"}}).storage.database_url,
        "postgres://u:p@h:5432/d"
    );
    EXPECT_EQ(
        loaded({{"DATABASE_URL", "postgresql://u@h/d"}}).storage.database_url, "postgresql://u@h/d"
    );
    EXPECT_EQ(loaded({{"LOG_LEVEL", "warning"}}).log_level, "warning");
    EXPECT_FALSE(loaded({{"TRUST_PROXY", "false"}}).http.trust_proxy);
    EXPECT_TRUE(loaded({{"TRUST_PROXY", "true"}}).http.trust_proxy);
    EXPECT_EQ(loaded({{"PRESENT_MIN_PERCENT", "100"}}).attendance.present_min_percent, 100);
    EXPECT_EQ(
        loaded({{"CLEANUP_INTERVAL", "0"}}).sessions.cleanup_interval, std::chrono::seconds(0)
    );
}

}  // namespace
}  // namespace headcount::config
