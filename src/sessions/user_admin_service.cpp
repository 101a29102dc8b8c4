#include "sessions/user_admin_service.hpp"

namespace headcount::sessions {

std::vector<auth::user> user_admin_service::list(session_store& store) {
    return store.users.list();
}

outcome<auth::user> user_admin_service::patch(
    session_store& store, user_id id, const user_patch& change
) {
    auto user = store.users.find_by_id(id);
    if (!user)
        return api_error{errc::not_found, "User not found", {}};
    if (change.linked_student && *change.linked_student &&
        !store.students.find(**change.linked_student)) {
        return api_error::validation("studentId", "no student has this studentId");
    }
    if (change.role) {
        store.users.set_role(id, *change.role);
        user->role = *change.role;
    }
    if (change.linked_student) {
        store.users.set_linked_student(id, *change.linked_student);
        user->linked_student = *change.linked_student;
    }
    return *user;
}

}  // namespace headcount::sessions
