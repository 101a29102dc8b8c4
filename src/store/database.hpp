#pragma once

#include <exception>
#include <functional>
#include <string>

#include "attendance/repositories.hpp"
#include "common/domain_event.hpp"
#include "sessions/repositories.hpp"

namespace headcount::store {

/// What one storage transaction offers a job: every repository, and an outbox for events.
/// A unit belongs to the one job it is handed to, on the storage thread running that job.
class unit {
public:
    virtual ~unit() = default;

    virtual sessions::session_store& sessions() = 0;
    virtual attendance::attendance_store& attendance() = 0;
    /// Events given here are published once the transaction has committed, in order, and
    /// dropped if it does not.
    virtual event_sink& outbox() = 0;
    /// Rolls back what this job wrote (and drops its events) while letting it return a
    /// value: how an expected failure after a partial write changes nothing.
    virtual void discard() = 0;
    /// Whether storage answers a trivial query (for /readyz).
    virtual bool probe() = 0;
};

/// The storage engine: runs jobs inside transactions on its own threads (never on I/O
/// threads). A write job's completion runs only after its transaction has committed, so an
/// acknowledged write is durable. A job that throws has no effect; its completion receives
/// the exception. Storage failures reach completions as `api_exception(unavailable)`.
/// Thread-safe.
class database {
public:
    using job = std::function<void(unit&)>;
    using completion = std::function<void(std::exception_ptr)>;

    virtual ~database() = default;

    /// Runs `work` in a read-only snapshot; `done` is called on a storage thread.
    virtual void read(job work, completion done) = 0;
    /// Runs `work` in a write transaction; `done` is called on a storage thread after commit.
    virtual void write(job work, completion done) = 0;
    /// Runs what is queued, then closes; later jobs fail with `unavailable`.
    virtual void stop() = 0;
    /// `sqlite` or `postgres`, for logs and metrics.
    virtual std::string kind() const = 0;
};

}  // namespace headcount::store
