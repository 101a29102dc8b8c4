#pragma once

#include <memory>

#include "realtime/engineio/session.hpp"
#include "realtime/socketio/server.hpp"

namespace headcount::realtime::conformance {

/// The Engine.IO suite's app: every message comes straight back, text as text and binary as
/// binary.
class echo_app final : public engineio::application {
public:
    std::unique_ptr<engineio::connection> open(engineio::session& s) override;
};

/// The Socket.IO suite's app: namespaces `/` and `/custom` without authentication; each
/// connection is first sent `auth` with its CONNECT payload; on `/`, `message` is echoed as
/// `message-back`, `message-with-ack` is acknowledged with its arguments, and
/// `emit-with-ack` is sent back expecting an acknowledgement, whose answer is emitted again.
void mount_test_app(socketio::server& io);

}  // namespace headcount::realtime::conformance
