#include <charconv>

#include "api/handlers/services.hpp"
#include "sessions/json.hpp"
#include "sessions/student_service.hpp"
#include "store/awaitable.hpp"

namespace headcount::api {
namespace {

namespace net = boost::asio;
using sessions::student_service;

net::awaitable<response> save_student(services& s, request_context& ctx) {
    auto student = student_service::validate(
                       ctx.json.is_null() ? boost::json::value(boost::json::object{}) : ctx.json
    )
                       .value();
    const bool created = co_await store::write(s.db, [&student](store::unit& u) {
        return student_service::save(u.sessions().students, student);
    });
    co_return success({{"student", boost::json::value_from(student)}}, created ? 201 : 200);
}

net::awaitable<response> import_students(services& s, request_context& ctx) {
    auto report = co_await store::write(s.db, [&ctx](store::unit& u) {
        return student_service::import_csv(u.sessions().students, ctx.body());
    });
    const auto& r = report.value();
    boost::json::array errors;
    for (const auto& e : r.errors)
        errors.push_back({{"line", e.line}, {"message", e.message}});
    co_return success(
        {{"imported", r.imported}, {"updated", r.updated}, {"errors", std::move(errors)}}
    );
}

net::awaitable<response> list_students(services& s, request_context&) {
    auto all =
        co_await store::read(s.db, [](store::unit& u) { return u.sessions().students.list(); });
    boost::json::array out;
    out.reserve(all.size());
    for (const auto& st : all)
        out.push_back(boost::json::value_from(st));
    co_return success({{"students", std::move(out)}});
}

net::awaitable<response> get_student(services& s, request_context& ctx) {
    const auto& raw = ctx.param("studentId");
    std::int64_t id = -1;
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (ec != std::errc{} || end != raw.data() + raw.size() || id < 0) {
        throw api_exception(api_error::validation("studentId", "must be a non-negative integer"));
    }
    auto found = co_await store::read(s.db, [id](store::unit& u) {
        return u.sessions().students.find(student_id{id});
    });
    if (!found)
        throw api_exception({errc::not_found, "Student not found", {}});
    co_return success({{"student", boost::json::value_from(*found)}});
}

}  // namespace

void add_student_routes(const route_table& routes, services& s) {
    routes.add(
        {method::post, "/api/students", access::admin, body_kind::json, rate_bucket::per_user,
         [&s](request_context& ctx) { return save_student(s, ctx); }}
    );
    routes.add(
        {method::post, "/api/students/import", access::admin, body_kind::csv, rate_bucket::per_user,
         [&s](request_context& ctx) { return import_students(s, ctx); }}
    );
    routes.add(
        {method::get, "/api/students", access::admin, body_kind::none, rate_bucket::per_user,
         [&s](request_context& ctx) { return list_students(s, ctx); }}
    );
    routes.add(
        {method::get, "/api/students/:studentId", access::admin, body_kind::none,
         rate_bucket::per_user, [&s](request_context& ctx) { return get_student(s, ctx); }}
    );
}

}  // namespace headcount::api
