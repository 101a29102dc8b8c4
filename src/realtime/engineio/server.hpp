#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "http/raw_endpoint.hpp"
#include "realtime/engineio/session.hpp"

namespace headcount::realtime::engineio {

/// Engine.IO v4 under a path prefix (`/socket.io/`, `/engine.io/`), plugged into the HTTP
/// server: long-polling GET/POST, WebSocket sessions and the upgrade from one to the other,
/// with the protocol's error answers and CORS. WebSockets are taken over from the HTTP
/// connection (the stream is moved out), so an open WebSocket costs no HTTP coroutine.
class server final : public http::raw_endpoint {
public:
    /// `dropped_slow` counts the sessions dropped because their send queue overflowed.
    server(
        boost::asio::io_context& ioc,
        std::string path,
        settings config,
        application& app,
        std::atomic<std::uint64_t>& dropped_slow
    );
    ~server() override;

    bool handles(std::string_view path) const override;
    boost::asio::awaitable<bool> serve(
        boost::beast::tcp_stream& stream,
        boost::beast::flat_buffer& buffer,
        parser_type& parser,
        const std::string& remote_address
    ) override;

    const session_registry& sessions() const { return registry_; }
    /// Closes every session (at shutdown). Thread-safe.
    void close_all(close_reason why) { registry_.close_all(why); }
    /// WebSockets still open, sessions closed or not (shutdown waits for them). Thread-safe.
    std::size_t open_websockets() const { return websockets_->load(); }

private:
    struct exchange;

    boost::asio::awaitable<bool> serve_websocket(exchange& x);
    boost::asio::awaitable<bool> poll(std::shared_ptr<session> s, exchange& x, bool opening);
    boost::asio::awaitable<bool> post(std::shared_ptr<session> s, exchange& x);
    static boost::asio::awaitable<bool> reply(
        exchange& x, unsigned status, std::string_view content_type, std::string& body
    );
    static boost::asio::awaitable<bool> reply_error(exchange& x, request_error error);
    /// The origin to allow in CORS headers, empty when none.
    std::string allowed_origin(std::string_view origin) const;

    std::string path_;
    session_registry registry_;
    std::shared_ptr<std::atomic<std::size_t>> websockets_;
};

}  // namespace headcount::realtime::engineio
