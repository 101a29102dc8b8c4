#include "realtime/engineio/websocket_transport.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

namespace headcount::realtime::engineio {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

/// A server-side transport over loopback, with small socket buffers so a client that does
/// not read blocks it after a few frames.
struct TransportTest : ::testing::Test {
    TransportTest() : acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0}), client(ioc) {
        client.open(tcp::v4());
        client.set_option(net::socket_base::receive_buffer_size(4096));
        client.connect(acceptor.local_endpoint());
        tcp::socket server(ioc);
        acceptor.accept(server);
        server.set_option(net::socket_base::send_buffer_size(4096));
        config.send_queue_limit = 8;
        transport = std::make_shared<websocket_transport>(
            std::move(server), net::make_strand(ioc), open_count, config
        );
    }

    /// Runs the loop for `d`, also after it ran out of work before.
    void run_for(std::chrono::milliseconds d) {
        ioc.restart();
        ioc.run_for(d);
    }

    /// Sends frames of `size` bytes numbered from `first` until one is refused.
    std::size_t send_until_refused(std::size_t first, std::size_t size) {
        std::size_t accepted = 0;
        bool refused = false;
        net::post(ioc, [&] {
            boost::system::error_code ignored;
            for (std::size_t i = first; !refused; ++i) {
                std::string body = "4" + std::to_string(i) + ":";
                body.resize(size, 'x');
                if (transport->send(text_frame(std::move(body))))
                    ++accepted;
                else
                    refused = true;
            }
        });
        run_for(20ms);
        return accepted;
    }

    /// Reads `n` bytes from the client side, letting the transport run meanwhile.
    std::string read_bytes(std::size_t n) {
        client.non_blocking(true);
        while (received.size() < n) {
            std::array<char, 4096> chunk{};
            boost::system::error_code ec;
            const auto got = client.read_some(net::buffer(chunk), ec);
            if (ec == net::error::would_block) {
                run_for(1ms);
                continue;
            }
            if (ec)
                throw boost::system::system_error(ec);
            received.append(chunk.data(), got);
        }
        auto out = received.substr(0, n);
        received.erase(0, n);
        return out;
    }

    /// Reads and decodes `count` server frames: the number each text carries.
    std::vector<std::string> read_frames(std::size_t count) {
        std::vector<std::string> out;
        while (out.size() < count) {
            const auto head = read_bytes(2);
            std::size_t len = static_cast<unsigned char>(head[1]) & 0x7F;
            if (len == 126) {
                const auto ext = read_bytes(2);
                len = (std::size_t{static_cast<unsigned char>(ext[0])} << 8) |
                      static_cast<unsigned char>(ext[1]);
            }
            const auto payload = read_bytes(len);
            out.push_back(payload.substr(0, payload.find(':')));
        }
        return out;
    }

    std::string received;
    net::io_context ioc;
    tcp::acceptor acceptor;
    tcp::socket client;
    settings config;
    std::shared_ptr<std::atomic<std::size_t>> open_count =
        std::make_shared<std::atomic<std::size_t>>(0);
    std::shared_ptr<websocket_transport> transport;
};

TEST_F(TransportTest, QueuesWhileThePeerDoesNotReadThenWritesAllInOrder) {
    EXPECT_EQ(open_count->load(), 1u);
    const auto accepted = send_until_refused(0, 1000);
    // What the kernel took plus the queue limit; the client has read nothing yet.
    ASSERT_GT(accepted, config.send_queue_limit);
    const auto frames = read_frames(accepted);
    for (std::size_t i = 0; i < frames.size(); ++i)
        EXPECT_EQ(frames[i], "4" + std::to_string(i)) << i;
    run_for(20ms);
    // Drained: it takes frames again, and they follow in order.
    const auto more = send_until_refused(accepted, 1000);
    EXPECT_GT(more, config.send_queue_limit);
    const auto next = read_frames(1);
    EXPECT_EQ(next.front(), "4" + std::to_string(accepted));
}

TEST_F(TransportTest, ClosingSendsACloseFrameAfterTheBacklog) {
    const auto accepted = send_until_refused(0, 1000);
    net::post(ioc, [&] { transport->close(close_reason::server_shutdown); });
    run_for(5ms);
    EXPECT_EQ(read_frames(accepted).size(), accepted);
    const auto close = read_bytes(4);
    EXPECT_EQ(close, std::string("\x88\x02\x03\xe9", 4)) << "close frame, 1001 going away";
}

TEST_F(TransportTest, ASlowConsumerIsDroppedWithoutAHandshake) {
    send_until_refused(0, 1000);
    net::post(ioc, [&] { transport->close(close_reason::slow_consumer); });
    run_for(5ms);
    transport.reset();
    run_for(5ms);
    EXPECT_EQ(open_count->load(), 0u);
    // The client reads what was in flight, then the end of the stream.
    std::array<char, 65536> sink{};
    boost::system::error_code ec;
    while (!ec)
        client.read_some(net::buffer(sink), ec);
    EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
}

}  // namespace
}  // namespace headcount::realtime::engineio
