#include "attendance/registration_service.hpp"

#include "attendance/linker.hpp"

namespace headcount::attendance {

sessions::join_result registration_service::join(
    attendance_store& store,
    event_sink& events,
    const auth::user& user,
    const sessions::join_request& request
) const {
    auto result = sessions_.join(store.base, events, user, request);
    if (result.created)
        linker::session_started(store, events, result.joined, user, result.student);
    return result;
}

}  // namespace headcount::attendance
