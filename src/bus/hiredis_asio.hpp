#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

struct redisAsyncContext;

namespace headcount::bus {

using redis_executor = boost::asio::strand<boost::asio::io_context::executor_type>;

/// Drives a hiredis async context from Asio: its socket is watched with a
/// `posix::stream_descriptor` (not owned: hiredis closes it), and hiredis's read/write hooks
/// arm `async_wait`s that call `redisAsyncHandleRead/Write`. Every hiredis call on the
/// context, and every callback it makes, then runs on `executor`; callers must make their
/// own hiredis calls there too. The watcher lives until hiredis frees the context.
/// Call before `redisAsyncSetConnectCallback`, which arms the first write.
void attach(redisAsyncContext* context, const redis_executor& executor);

}  // namespace headcount::bus
