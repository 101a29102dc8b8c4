#pragma once

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace headcount::http {

/// A part of the server that answers whole requests under a path prefix itself, with the
/// connection in hand (Engine.IO long-polling and WebSocket upgrades at `/socket.io/`).
class raw_endpoint {
public:
    using parser_type = boost::beast::http::request_parser<boost::beast::http::string_body>;

    virtual ~raw_endpoint() = default;

    virtual bool handles(std::string_view path) const = 0;

    /// Serves one request whose head has been read into `parser` (its body not yet).
    /// Returns true when the connection can carry the next request, false when the endpoint
    /// closed it or took it over: an endpoint may move the socket out of `stream`
    /// (`release_socket`) to keep a WebSocket open after this call returns, and is then
    /// responsible for it (server::open_connections no longer counts it).
    virtual boost::asio::awaitable<bool> serve(
        boost::beast::tcp_stream& stream,
        boost::beast::flat_buffer& buffer,
        parser_type& parser,
        const std::string& remote_address
    ) = 0;
};

}  // namespace headcount::http
