#include "bus/hiredis_asio.hpp"

#include <memory>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <hiredis/async.h>

namespace headcount::bus {
namespace {

namespace net = boost::asio;

struct watcher {
    watcher(redisAsyncContext* c, const redis_executor& executor)
        : context(c), socket(executor, c->c.fd) {}

    redisAsyncContext* context;  ///< null once hiredis freed it
    net::posix::stream_descriptor socket;
    bool reading = false;
    bool writing = false;
    bool read_armed = false;
    bool write_armed = false;
};

using watcher_ptr = std::shared_ptr<watcher>;

watcher_ptr& of(void* data) {
    return *static_cast<watcher_ptr*>(data);
}

void arm_read(const watcher_ptr& w) {
    if (w->context == nullptr || !w->reading || w->read_armed)
        return;
    w->read_armed = true;
    w->socket.async_wait(
        net::posix::stream_descriptor::wait_read,
        [w](boost::system::error_code ec) {
            w->read_armed = false;
            if (ec || w->context == nullptr || !w->reading)
                return;
            // May free the context (a disconnect): `cleanup` then clears w->context.
            redisAsyncHandleRead(w->context);
            arm_read(w);
        }
    );
}

void arm_write(const watcher_ptr& w) {
    if (w->context == nullptr || !w->writing || w->write_armed)
        return;
    w->write_armed = true;
    w->socket.async_wait(
        net::posix::stream_descriptor::wait_write,
        [w](boost::system::error_code ec) {
            w->write_armed = false;
            if (ec || w->context == nullptr || !w->writing)
                return;
            redisAsyncHandleWrite(w->context);
            arm_write(w);
        }
    );
}

void add_read(void* data) {
    auto& w = of(data);
    w->reading = true;
    arm_read(w);
}

void del_read(void* data) {
    of(data)->reading = false;
}

void add_write(void* data) {
    auto& w = of(data);
    w->writing = true;
    arm_write(w);
}

void del_write(void* data) {
    of(data)->writing = false;
}

void cleanup(void* data) {
    const watcher_ptr w = of(data);
    delete static_cast<watcher_ptr*>(data);
    w->context = nullptr;
    w->reading = false;
    w->writing = false;
    // Cancels the waits; the descriptor stays open for hiredis to close.
    static_cast<void>(w->socket.release());
}

}  // namespace

void attach(redisAsyncContext* context, const redis_executor& executor) {
    context->ev.data = new watcher_ptr(std::make_shared<watcher>(context, executor));
    context->ev.addRead = add_read;
    context->ev.delRead = del_read;
    context->ev.addWrite = add_write;
    context->ev.delWrite = del_write;
    context->ev.cleanup = cleanup;
}

}  // namespace headcount::bus
