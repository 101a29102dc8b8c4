#include "store/sqlite/meeting_registry.hpp"

namespace headcount::store::sqlite {
namespace {

constexpr const char* upsert_seen =
    "INSERT INTO meetings (meeting_id, status, first_seen_at, last_seen_at) VALUES (?1, "
    "'scheduled', ?2, ?2) "
    "ON CONFLICT (meeting_id) DO UPDATE SET last_seen_at = excluded.last_seen_at";

}  // namespace

void meeting_registry::note_seen(const meeting_id& meeting, timestamp at) {
    db_.prepare(upsert_seen).with(meeting.value(), to_epoch_ms(at)).run();
}

}  // namespace headcount::store::sqlite
