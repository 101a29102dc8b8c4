#pragma once

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

/// Runs a blocking call (a password hash) on `pool` and resumes the caller on its own
/// executor with the result; what the call throws is rethrown in the caller. `work` is taken
/// by reference, and callers pass lambdas that capture only references or trivially
/// destructible values: g++ 12 destroys non-trivial temporaries in a co_await operand twice
/// (GCC bug 99576).
template <class Work>
boost::asio::awaitable<std::invoke_result_t<std::decay_t<Work>&>> run_blocking(
    boost::asio::thread_pool& pool, Work&& work
) {
    using result_type = std::invoke_result_t<std::decay_t<Work>&>;
    auto executor = co_await boost::asio::this_coro::executor;
    auto result = std::make_shared<std::optional<result_type>>();
    // A named initiation: g++ 12 destroys non-trivial temporaries that are arguments in a
    // co_await operand twice (GCC bug 99576).
    auto initiation = [&pool, &work, result, executor](auto handler) {
        auto resume = std::make_shared<decltype(handler)>(std::move(handler));
        boost::asio::post(
            pool,
            [work = std::forward<Work>(work), result, resume, executor]() mutable {
                std::exception_ptr failure;
                try {
                    result->emplace(work());
                } catch (...) {
                    failure = std::current_exception();
                }
                boost::asio::post(executor, [resume, failure]() mutable { (*resume)(failure); });
            }
        );
    };
    co_await boost::asio::async_initiate<
        decltype(boost::asio::use_awaitable), void(std::exception_ptr)>(
        initiation, boost::asio::use_awaitable
    );
    co_return std::move(**result);
}

}  // namespace headcount
