#include <benchmark/benchmark.h>

#include "http/router.hpp"

namespace headcount::http {
namespace {

/// A table shaped like the real one: literals and parameters, about thirty routes.
router sample_router() {
    router r;
    const std::pair<method, const char*> table[] = {
        {method::get, "/healthz"},
        {method::get, "/readyz"},
        {method::get, "/metrics"},
        {method::post, "/api/auth/register"},
        {method::post, "/api/auth/login"},
        {method::get, "/api/auth/me"},
        {method::get, "/api/users"},
        {method::patch, "/api/users/:id"},
        {method::get, "/api/students"},
        {method::post, "/api/students"},
        {method::post, "/api/students/import"},
        {method::get, "/api/students/:studentId"},
        {method::put, "/api/students/:studentId"},
        {method::del, "/api/students/:studentId"},
        {method::post, "/api/user-sessions/join-meeting"},
        {method::post, "/api/user-sessions/leave-meeting"},
        {method::post, "/api/user-sessions/activity"},
        {method::get, "/api/user-sessions/my-sessions"},
        {method::get, "/api/user-sessions/active"},
        {method::get, "/api/user-sessions/meeting/:meetingId"},
        {method::post, "/api/user-sessions/end-meeting/:meetingId"},
        {method::get, "/api/user-sessions/stats"},
        {method::post, "/api/zoom/webhook"},
        {method::get, "/api/meetings"},
        {method::get, "/api/attendance-tracker/attendance/:meetingId"},
        {method::get, "/api/attendance-tracker/attendance/:meetingId/export"},
        {method::post, "/api/attendance-tracker/fetch/:meetingId"},
        {method::post, "/api/attendance-tracker/link"},
        {method::get, "/"},
        {method::get, "/assets/*"},
    };
    for (const auto& [verb, pattern] : table)
        r.add({verb, pattern, 0, {}});
    return r;
}

void router_match(benchmark::State& state, method verb, const char* path) {
    const auto r = sample_router();
    for (auto _ : state) {
        auto m = r.find(verb, path);
        benchmark::DoNotOptimize(m);
    }
}
BENCHMARK_CAPTURE(router_match, literal_first, method::get, "/healthz");
BENCHMARK_CAPTURE(router_match, auth_me, method::get, "/api/auth/me");
BENCHMARK_CAPTURE(
    router_match, param_late, method::get, "/api/attendance-tracker/attendance/85746352918"
);
BENCHMARK_CAPTURE(router_match, not_found, method::get, "/api/nothing/here");

}  // namespace
}  // namespace headcount::http
