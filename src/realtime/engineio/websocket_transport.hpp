#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "common/timer.hpp"
#include "realtime/engineio/session.hpp"
#include "realtime/engineio/websocket_frame.hpp"

namespace headcount::realtime::engineio {

/// A WebSocket after its handshake (done with Beast by the server), carrying Engine.IO
/// packets in RFC 6455 frames on the socket it owns. A frame is written straight to the
/// socket when it takes it (the shared packet bytes plus a header built on the stack, no
/// allocation and no completion handler), and queued, bounded, only while it does not. Reads
/// wait for readability and then read into a per-thread buffer, so an idle connection holds
/// no buffer. Everything runs on the session's strand.
class websocket_transport final : public websocket_link,
                                  public std::enable_shared_from_this<websocket_transport> {
public:
    websocket_transport(
        boost::asio::ip::tcp::socket socket,
        strand_type strand,
        std::shared_ptr<std::atomic<std::size_t>> open_count,
        const settings& config,
        bool base64_binary = false
    );
    ~websocket_transport() override;

    websocket_transport(const websocket_transport&) = delete;
    websocket_transport& operator=(const websocket_transport&) = delete;

    /// Offers itself to `s` as the target of its upgrade; a session that cannot take it (it
    /// is upgrading or upgraded already) gets it closed at once. `early` are bytes the client
    /// sent right after its handshake.
    void join(std::shared_ptr<session> s, std::string early);
    /// Opens a new session on this connection.
    void open(session_registry& registry, handshake_info info, std::string early);

    bool send(const frame& f) override;
    void close(close_reason why) override;

private:
    struct outgoing {
        std::shared_ptr<const std::string> payload;
        ws::header head;
        std::size_t sent = 0;
        std::size_t size() const { return head.size + payload->size(); }
    };

    void begin(const std::string& early);
    bool enqueue(ws::opcode op, const std::shared_ptr<const std::string>& payload);
    void flush();
    void wait_writable();
    void wait_readable();
    void on_readable(const boost::system::error_code& ec);
    /// Handles bytes from the client; false once the connection is closing.
    bool received(std::string_view bytes);
    bool handle(ws::incoming& message);
    /// A violation by the client: a close frame with `code`, then the connection ends.
    void refuse(ws::close_code code, close_reason why);
    void send_close(ws::close_code code);
    void send_close_payload(std::string payload);
    void after_flush();
    /// Tells the session once that its WebSocket is gone.
    void notify(close_reason why);
    void drop_connection();

    boost::asio::ip::tcp::socket socket_;
    strand_type strand_;
    std::shared_ptr<std::atomic<std::size_t>> open_count_;
    std::shared_ptr<session> session_;
    ws::reader reader_;
    std::size_t queue_limit_;
    std::vector<outgoing> out_;
    std::size_t out_head_ = 0;
    std::unique_ptr<timer> linger_;
    bool base64_binary_;  ///< binary messages go as `b<base64>` text (the client asked `b64`)
    bool write_waiting_ = false;
    bool close_sent_ = false;
    bool close_received_ = false;
    bool failing_ = false;
    bool notified_ = false;
    bool dropped_ = false;
};

}  // namespace headcount::realtime::engineio
