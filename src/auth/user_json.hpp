#pragma once

#include <boost/json/value_from.hpp>

#include "auth/user.hpp"

namespace headcount::auth {

/// `{id, username, email, role, studentId}`: a user as the API shows it (never the hash).
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const user& u);

}  // namespace headcount::auth
