#pragma once

#include <boost/asio/thread_pool.hpp>

#include "api/pipeline.hpp"
#include "attendance/attendance_service.hpp"
#include "attendance/registration_service.hpp"
#include "auth/password_hasher.hpp"
#include "auth/sign_in_service.hpp"
#include "auth/token_issuer.hpp"
#include "auth/user_cache.hpp"
#include "bus/event_bus.hpp"
#include "common/clock.hpp"
#include "common/metrics.hpp"
#include "config/settings.hpp"
#include "sessions/session_service.hpp"
#include "store/database.hpp"
#include "zoom/webhook_service.hpp"

namespace headcount::api {

class static_files;

/// What the request handlers call: storage, the domain services and the blocking pool.
/// Everything here outlives the server.
struct services {
    store::database& db;
    const clock& clk;
    const auth::password_hasher& passwords;
    boost::asio::thread_pool& hashing;  ///< argon2id, at most PASSWORD_HASH_CONCURRENCY at once
    const auth::token_issuer& tokens;
    auth::sign_in_service& sign_ins;
    auth::user_cache& users;
    const sessions::session_service& sessions;
    const attendance::attendance_service& attendance;
    const attendance::registration_service& registration;
    const zoom::webhook_service& webhooks;
    bus::event_bus& events;  ///< events raised outside a storage job (attendanceDataFetched)
    metrics& stats;
    const config::settings& settings;
};

/// Each handler file adds its routes to the one route table.
void add_auth_routes(const route_table& routes, services& s);
void add_user_routes(const route_table& routes, services& s);
void add_student_routes(const route_table& routes, services& s);
void add_session_routes(const route_table& routes, services& s);
void add_health_routes(const route_table& routes, services& s);
void add_attendance_routes(const route_table& routes, services& s);
void add_zoom_routes(const route_table& routes, services& s);
/// The dashboard: its page routes, `/assets/*`, `/config.json` and the socket.io client bundle.
void add_web_routes(const route_table& routes, services& s, const static_files& files);

}  // namespace headcount::api
