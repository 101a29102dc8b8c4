#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace headcount {

/// Called once, on any thread, when work handed elsewhere has finished (null: it succeeded).
using work_done = std::function<void(std::exception_ptr)>;

/// Hands work to another thread and suspends the calling coroutine until that work calls
/// `done`; resumes on the coroutine's own executor and rethrows what the work threw.
/// `start(done)` runs at once, on the calling thread. `start` is taken by reference (it
/// lives in the caller's full expression, which spans the suspension): g++ 12 destroys
/// non-trivial temporaries in a co_await operand twice (GCC bug 99576).
template <class Start>
boost::asio::awaitable<void> resume_after(Start& start) {
    auto executor = co_await boost::asio::this_coro::executor;
    auto initiation = [&start, executor](auto handler) {
        auto resume = std::make_shared<decltype(handler)>(std::move(handler));
        start(work_done([resume, executor](std::exception_ptr failure) {
            boost::asio::post(executor, [resume, failure]() mutable { (*resume)(failure); });
        }));
    };
    co_await boost::asio::async_initiate<
        decltype(boost::asio::use_awaitable), void(std::exception_ptr)>(
        initiation, boost::asio::use_awaitable
    );
}

/// Runs a blocking call (a password hash) on `pool` and resumes the caller with its result.
/// Callers pass lambdas that capture only references or trivially destructible values (GCC
/// bug 99576, as above).
template <class Work>
boost::asio::awaitable<std::invoke_result_t<std::decay_t<Work>&>> run_on(
    boost::asio::thread_pool& pool, Work&& work
) {
    using result_type = std::invoke_result_t<std::decay_t<Work>&>;
    auto result = std::make_shared<std::optional<result_type>>();
    auto start = [&pool, &work, result](work_done done) {
        boost::asio::post(pool, [work = std::forward<Work>(work), result, done]() mutable {
            try {
                result->emplace(work());
            } catch (...) {
                done(std::current_exception());
                return;
            }
            done(nullptr);
        });
    };
    co_await resume_after(start);
    co_return std::move(**result);
}

}  // namespace headcount
