// Compares two JSON values as a reader of our writer's output sees them. Boost.JSON 1.81 may
// round a double's last bit differently between two spellings of it, so doubles compare with
// a relative tolerance; infinities are written as null, as JSON.stringify does.
#pragma once

#include <cmath>
#include <cstddef>

#include <boost/json/value.hpp>

namespace headcount::fuzz {

inline bool same(const boost::json::value& a, const boost::json::value& b) {
    if (a.is_double() && !std::isfinite(a.get_double()))
        return b.is_null();
    if (a.is_number() && b.is_number()) {
        const double x = a.to_number<double>();
        const double y = b.to_number<double>();
        return x == y || std::fabs(x - y) <= 1e-15 * std::fmax(std::fabs(x), std::fabs(y));
    }
    if (a.kind() != b.kind())
        return false;
    if (a.is_array()) {
        const auto& p = a.get_array();
        const auto& q = b.get_array();
        if (p.size() != q.size())
            return false;
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (!same(p[i], q[i]))
                return false;
        }
        return true;
    }
    if (a.is_object()) {
        const auto& p = a.get_object();
        const auto& q = b.get_object();
        if (p.size() != q.size())
            return false;
        for (const auto& member : p) {
            const auto* other = q.if_contains(member.key());
            if (other == nullptr || !same(member.value(), *other))
                return false;
        }
        return true;
    }
    return a == b;
}

}  // namespace headcount::fuzz
