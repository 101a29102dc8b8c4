#pragma once

#include <memory>
#include <optional>
#include <type_traits>

#include <boost/asio/awaitable.hpp>

#include "common/errors.hpp"
#include "net/hop.hpp"
#include "store/database.hpp"

namespace headcount::store {

namespace detail {

template <class Work>
using job_result_t = std::invoke_result_t<std::decay_t<Work>&, unit&>;

/// Runs `work` as a storage job and resumes the calling coroutine with its result; a job
/// that threw rethrows in the coroutine, and a job returning an `outcome` that holds an error
/// is rolled back. Callers pass lambdas that capture only references or trivially
/// destructible values (GCC bug 99576, see resume_after).
template <class Work>
boost::asio::awaitable<job_result_t<Work>> run(database& db, bool write, Work&& work) {
    using result_type = job_result_t<Work>;
    auto result = std::make_shared<std::optional<result_type>>();
    auto start = [&db, write, &work, result](work_done done) {
        database::job job = [work = std::forward<Work>(work), result](unit& u) mutable {
            result->emplace(work(u));
            if constexpr (is_outcome_v<result_type>) {
                if (result->value().has_error())
                    u.discard();
            }
        };
        if (write) {
            db.write(std::move(job), std::move(done));
        } else {
            db.read(std::move(job), std::move(done));
        }
    };
    co_await resume_after(start);
    co_return std::move(**result);
}

}  // namespace detail

/// `co_await read(db, [&](unit& u) { ... })`: a read-only snapshot job.
template <class Work>
boost::asio::awaitable<detail::job_result_t<Work>> read(database& db, Work&& work) {
    return detail::run(db, false, std::forward<Work>(work));
}

/// A write job; it has committed when the coroutine resumes. A job returning an
/// `outcome` holding an error is rolled back, so an expected failure changes nothing.
template <class Work>
boost::asio::awaitable<detail::job_result_t<Work>> write(database& db, Work&& work) {
    return detail::run(db, true, std::forward<Work>(work));
}

}  // namespace headcount::store
