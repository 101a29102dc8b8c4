#include "attendance/registration_service.hpp"

#include "attendance/linker.hpp"

namespace headcount::attendance {
namespace {

/// The occurrence_service's answer, asked only when the join makes a new session.
class chooser final : public sessions::occurrence_chooser {
public:
    chooser(const occurrence_service& occurrences, attendance_store& store)
        : occurrences_(occurrences), store_(store) {}
    occurrence_id for_new_session(const meeting_id& meeting, timestamp join_time) override {
        const auto found = occurrences_.for_session(store_, meeting, join_time);
        opened_ = found.opened;
        return found.id;
    }
    bool opened() const { return opened_; }

private:
    const occurrence_service& occurrences_;
    attendance_store& store_;
    bool opened_ = false;
};

}  // namespace

sessions::join_result registration_service::join(
    attendance_store& store,
    event_sink& events,
    const auth::user& user,
    const sessions::join_request& request
) const {
    chooser occurrences(occurrences_, store);
    auto result = sessions_.join(store.base, events, user, request, occurrences);
    // An occurrence opened for this session has nobody from Zoom to link with.
    if (result.created && !occurrences.opened())
        linker::session_started(store, events, result.joined, user, result.student);
    return result;
}

}  // namespace headcount::attendance
