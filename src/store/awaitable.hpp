#pragma once

#include <memory>
#include <optional>
#include <type_traits>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/errors.hpp"
#include "store/database.hpp"

namespace headcount::store {

namespace detail {

template <class Work>
using job_result_t = std::invoke_result_t<std::decay_t<Work>&, unit&>;

/// Runs `work` as a storage job and resumes the calling coroutine on its own executor with
/// the job's result; a job that threw rethrows in the coroutine. `work` is taken by
/// reference (it lives in the caller's full expression, which spans the suspension), and
/// callers pass lambdas that capture only references or trivially destructible values:
/// g++ 12 destroys non-trivial temporaries in a co_await operand twice (GCC bug 99576).
template <class Work>
boost::asio::awaitable<job_result_t<Work>> run(database& db, bool write, Work&& work) {
    using result_type = job_result_t<Work>;
    auto executor = co_await boost::asio::this_coro::executor;
    auto result = std::make_shared<std::optional<result_type>>();
    // A named initiation: g++ 12 destroys non-trivial temporaries that are arguments in a
    // co_await operand twice (GCC bug 99576).
    auto initiation = [&db, write, &work, result, executor](auto handler) {
        auto resume = std::make_shared<decltype(handler)>(std::move(handler));
        database::job job = [work = std::forward<Work>(work), result](unit& u) mutable {
            result->emplace(work(u));
            if constexpr (is_outcome_v<result_type>) {
                if (result->value().has_error())
                    u.discard();
            }
        };
        database::completion done = [resume, executor](std::exception_ptr failure) {
            boost::asio::post(executor, [resume, failure]() mutable { (*resume)(failure); });
        };
        if (write) {
            db.write(std::move(job), std::move(done));
        } else {
            db.read(std::move(job), std::move(done));
        }
    };
    co_await boost::asio::async_initiate<
        decltype(boost::asio::use_awaitable), void(std::exception_ptr)>(
        initiation, boost::asio::use_awaitable
    );
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
