#include "realtime/conformance/apps.hpp"

namespace headcount::realtime::conformance {
namespace {

class echo_connection final : public engineio::connection {
public:
    explicit echo_connection(engineio::session& s) : session_(s) {}

    void on_message(engineio::packet& message) override {
        session_.send(
            message.binary ? engineio::binary_frame(std::move(message.data))
                           : engineio::message_frame(message.data)
        );
    }
    void on_close(engineio::close_reason) override {}

private:
    engineio::session& session_;
};

void send_auth(socketio::socket& s, const boost::json::object& auth) {
    s.emit("auth", boost::json::array{auth});
}

}  // namespace

std::unique_ptr<engineio::connection> echo_app::open(engineio::session& s) {
    return std::make_unique<echo_connection>(s);
}

void mount_test_app(socketio::server& io) {
    auto& main = io.add_namespace("/");
    main.on_connection(send_auth);
    main.on("message", [](socketio::socket& s, socketio::event& e) {
        s.emit("message-back", e.args, std::move(e.attachments));
    });
    main.on("message-with-ack", [](socketio::socket& s, socketio::event& e) {
        s.acknowledge(e, std::move(e.args), std::move(e.attachments));
    });
    main.on("emit-with-ack", [](socketio::socket& s, socketio::event& e) {
        s.emit_with_ack(
            "emit-with-ack", e.args, std::move(e.attachments),
            [&s](boost::json::array& results, std::vector<std::string>& attachments) {
                s.emit("emit-with-ack", results, std::move(attachments));
            }
        );
    });
    io.add_namespace("/custom").on_connection(send_auth);
}

}  // namespace headcount::realtime::conformance
