// Bearer tokens are attacker-controlled: verification never crashes, and an accepted token
// always names a subject.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const headcount::auth::jwt_codec codec("fuzzing-secret");
    const std::string_view token(reinterpret_cast<const char*>(data), size);
    const auto result = codec.verify(token, headcount::from_epoch_ms(1767261600000));
    if (result.token && result.token->subject.empty())
        std::abort();
    return 0;
}
