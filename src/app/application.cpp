#include "app/application.hpp"

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <sys/resource.h>

#include "app/expiry_task.hpp"
#include "auth/authenticator.hpp"
#include "auth/jwt.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_issuer.hpp"
#include "auth/user_cache.hpp"
#include "bus/local_event_bus.hpp"
#include "bus/redis_event_bus.hpp"
#include "common/crypto.hpp"
#include "common/metrics.hpp"
#include "common/thread_name.hpp"
#include "http/handlers/services.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "realtime/dashboard_hub.hpp"
#include "sessions/session_service.hpp"
#include "store/open_database.hpp"

namespace headcount::app {
namespace {

namespace net = boost::asio;

constexpr auto shutdown_deadline = std::chrono::milliseconds(8000);
/// Below the contract's 5 s, so a changed role or deleted user takes effect in time.
constexpr auto user_cache_ttl = std::chrono::milliseconds(2000);

/// The Redis bus when REDIS_URL is set, else in-process delivery only.
std::unique_ptr<bus::event_bus> make_bus(
    net::io_context& ioc, const std::string& redis_url, std::atomic<std::uint64_t>& published
) {
    if (redis_url.empty())
        return std::make_unique<bus::local_event_bus>(published);
    return std::make_unique<bus::redis_event_bus>(ioc, redis_url, published);
}

/// Thousands of open connections need more descriptors than the usual soft limit of 1024.
void raise_open_files_limit(const log::logger& log) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    const auto before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
        log.debug("raised the open files limit", {{"from", before}, {"to", limit.rlim_cur}});
    }
}

/// Everything `serve` runs, declared in dependency order so destruction runs in reverse.
class application {
public:
    explicit application(config::settings settings)
        : settings_(std::move(settings)),
          events_published_(
              stats_.counter("headcount_events_emitted_total", "Domain events published.")
          ),
          bus_(make_bus(ioc_, settings_.redis_url, events_published_)),
          db_(store::open_database(settings_.storage, clock_, *bus_, applied_)),
          jwt_(settings_.auth.jwt_secret),
          authenticator_(jwt_),
          tokens_(jwt_, settings_.auth.jwt_lifetime),
          hashing_(settings_.auth.password_hash_concurrency),
          user_cache_(clock_, user_cache_ttl),
          sessions_(clock_, settings_.sessions),
          attendance_(clock_, settings_.attendance),
          occurrences_(clock_, attendance_, sessions_),
          registration_(sessions_, occurrences_),
          webhooks_(clock_, occurrences_, settings_.zoom.webhook_secret),
          per_address_(settings_.rate_limits.auth),
          per_user_(settings_.rate_limits.user),
          services_{*db_,        clock_,    passwords_,  hashing_,      tokens_,
                    user_cache_, sessions_, attendance_, registration_, webhooks_,
                    *bus_,       stats_,    settings_},
          pipeline_(
              {authenticator_, user_cache_, *db_, per_address_, per_user_, clock_, settings_.http}
          ),
          hub_(
              ioc_,
              settings_.realtime,
              [this](std::string_view token) { return pipeline_.authenticate_token(token); },
              stats_
          ),
          server_(ioc_, settings_.http, routes_, pipeline_, stats_),
          expiry_(ioc_, *db_, sessions_),
          signals_(ioc_, SIGINT, SIGTERM),
          shutdown_timer_(ioc_) {
        if (!applied_.empty()) {
            std::string versions;
            for (const int v : applied_)
                versions += (versions.empty() ? "" : ",") + std::to_string(v);
            log_.info("migrations applied", {{"versions", versions}});
        }
        http::add_health_routes(routes_, services_);
        http::add_auth_routes(routes_, services_);
        http::add_user_routes(routes_, services_);
        http::add_student_routes(routes_, services_);
        http::add_session_routes(routes_, services_);
        http::add_attendance_routes(routes_, services_);
        http::add_zoom_routes(routes_, services_);
        http::add_web_routes(routes_, services_, web_files_);
        server_.add_raw_endpoint(hub_.endpoint());
        bus_->on_deliver([this](domain_event e) { hub_.deliver(std::move(e)); });
    }

    int run() {
        server_.listen();
        server_.start();
        bus_->start();
        expiry_.start();
        signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (!ec)
                begin_shutdown(signal);
        });
        const unsigned threads = settings_.http.threads != 0
                                     ? settings_.http.threads
                                     : std::max(1U, std::thread::hardware_concurrency());
        log_.info(
            "listening", {{"host", settings_.http.host},
                          {"port", server_.port()},
                          {"storage", db_->kind()},
                          {"bus", bus_->kind()},
                          {"threads", threads},
                          {"pid", static_cast<std::int64_t>(getpid())}}
        );
        std::vector<std::thread> pool;
        for (unsigned i = 1; i < threads; ++i)
            pool.emplace_back([this] {
                name_this_thread("hc-io");
                ioc_.run();
            });
        ioc_.run();
        for (auto& t : pool)
            t.join();
        db_->stop();
        hashing_.join();
        log_.info("stopped");
        return 0;
    }

private:
    void begin_shutdown(int signal) {
        log_.info("shutting down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
        shutdown_started_ = std::chrono::steady_clock::now();
        // Sessions first: a held long-poll still has its connection to carry the close packet.
        hub_.close_all();
        server_.shutdown();
        expiry_.stop();
        bus_->stop();
        wait_for_connections();
    }

    /// Polls until the last connection (WebSockets included) has closed or the deadline
    /// passed, then stops the loop.
    void wait_for_connections() {
        const auto open = server_.open_connections() + hub_.open_websockets();
        if (open == 0 || std::chrono::steady_clock::now() - shutdown_started_ > shutdown_deadline) {
            if (open != 0)
                log_.warn("connections still open at the shutdown deadline", {{"open", open}});
            ioc_.stop();
            return;
        }
        shutdown_timer_.expires_after(std::chrono::milliseconds(10));
        shutdown_timer_.async_wait([this](const boost::system::error_code&) {
            wait_for_connections();
        });
    }

    log::logger log_{"app"};
    config::settings settings_;
    system_clock clock_;
    metrics stats_;
    std::atomic<std::uint64_t>& events_published_;
    net::io_context ioc_;
    std::unique_ptr<bus::event_bus> bus_;
    std::vector<int> applied_;
    std::unique_ptr<store::database> db_;
    auth::jwt_codec jwt_;
    auth::authenticator authenticator_;
    auth::token_issuer tokens_;
    auth::password_hasher passwords_;
    net::thread_pool hashing_;
    auth::user_cache user_cache_;
    sessions::session_service sessions_;
    attendance::attendance_service attendance_;
    attendance::occurrence_service occurrences_;
    attendance::registration_service registration_;
    zoom::webhook_service webhooks_;
    http::rate_limiter per_address_;
    http::rate_limiter per_user_;
    http::services services_;
    http::static_files web_files_{embedded::web_files()};
    http::router routes_;
    http::pipeline pipeline_;
    realtime::dashboard_hub hub_;
    http::server server_;
    expiry_task expiry_;
    net::signal_set signals_;
    net::steady_timer shutdown_timer_;
    std::chrono::steady_clock::time_point shutdown_started_;
};

}  // namespace

int serve(config::settings settings) {
    const log::logger log("app");
    if (settings.auth.jwt_secret.empty()) {
        if (!settings.development) {
            log.error(
                "JWT_SECRET is not set; refusing to start (set HEADCOUNT_ENV=development for a "
                "random one)"
            );
            return 1;
        }
        settings.auth.jwt_secret = crypto::to_hex(crypto::random_bytes(32));
        log.warn("JWT_SECRET is not set: using a random secret; tokens will not survive a restart");
    }
    if (settings.zoom.webhook_secret.empty()) {
        log.warn("ZOOM_WEBHOOK_SECRET_TOKEN is not set; every Zoom webhook will be rejected");
    }
    raise_open_files_limit(log);
    try {
        application app(std::move(settings));
        return app.run();
    } catch (const std::exception& e) {
        log.error("start-up failed", {{"error", e.what()}});
        return 1;
    }
}

}  // namespace headcount::app
