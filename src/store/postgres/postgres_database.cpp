#include "store/postgres/postgres_database.hpp"

#include <chrono>

#include "common/thread_name.hpp"
#include "store/migration.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/unit.hpp"

namespace headcount::store::postgres {
namespace {

/// Attempts of a job that keeps losing races before it fails with `unavailable`.
constexpr int max_attempts = 10;

constexpr const char* begin_write = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr const char* begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

std::exception_ptr unavailable() {
    return std::make_exception_ptr(api_exception({errc::unavailable, "Storage unavailable", {}}));
}

}  // namespace

struct postgres_database::session {
    session(const std::string& url, const clock& clk) : db(url), repos(db, clk) {}
    connection db;
    unit repos;
};

postgres_database::postgres_database(
    std::string url, unsigned pool_size, const clock& clk, event_sink& publish_to
)
    : url_(std::move(url)), clock_(clk), publish_to_(publish_to) {
    {
        connection db(url_);
        applied_ = migrate(db, postgres_migrations());
    }
    for (unsigned i = 0; i < std::max(1U, pool_size); ++i)
        threads_.emplace_back([this] { run_worker(); });
}

postgres_database::~postgres_database() {
    stop();
}

void postgres_database::read(job work, completion done) {
    task t{std::move(work), std::move(done), false};
    auto fallback = t.done;
    if (!jobs_.push(std::move(t)))
        fallback(unavailable());
}

void postgres_database::write(job work, completion done) {
    task t{std::move(work), std::move(done), true};
    auto fallback = t.done;
    if (!jobs_.push(std::move(t)))
        fallback(unavailable());
}

void postgres_database::stop() {
    std::call_once(stopped_, [this] {
        jobs_.stop();
        for (auto& t : threads_)
            t.join();
        log_.info("storage closed", {{"storage", "postgres"}});
    });
}

void postgres_database::run_worker() {
    name_this_thread("hc-pg-worker");
    std::unique_ptr<session> s;
    while (true) {
        auto batch = jobs_.pop_all(1);
        if (batch.empty())
            return;
        run(batch.front(), s);
    }
}

void postgres_database::run(task& t, std::unique_ptr<session>& s) {
    std::exception_ptr failure;
    std::vector<domain_event> events;
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
        failure = nullptr;
        bool open = false;  // a transaction to roll back
        try {
            if (!s)
                s = std::make_unique<session>(url_, clock_);
            s->db.exec(t.write ? begin_write : begin_read);
            open = true;
            s->repos.begin_job();
            try {
                t.work(s->repos);
            } catch (const error&) {
                throw;
            } catch (...) {
                failure = std::current_exception();
            }
            if (failure || s->repos.discarded()) {
                s->db.exec("ROLLBACK");
            } else {
                open = false;  // a failed COMMIT has ended the transaction
                s->db.exec("COMMIT");
                events = s->repos.take_events();
            }
            break;
        } catch (const error& e) {
            if (open && s->db.healthy()) {
                try {
                    s->db.exec("ROLLBACK");
                } catch (const error&) {
                    s.reset();
                }
            }
            if (s && !s->db.healthy())
                s.reset();  // reconnected by the next job
            if (e.is_retryable() && attempt < max_attempts) {
                log_.debug(
                    "transaction lost a race; running it again",
                    {{"sqlstate", e.sqlstate()}, {"attempt", attempt}}
                );
                std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
                continue;
            }
            log_.error(
                t.write ? "write transaction failed" : "read transaction failed",
                {{"error", e.what()}, {"sqlstate", e.sqlstate()}}
            );
            failure = unavailable();
            break;
        }
    }
    for (auto& e : events)
        publish_to_.publish(std::move(e));
    t.done(failure);
}

}  // namespace headcount::store::postgres
