#include "realtime/socketio/packet.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "common/json.hpp"

namespace headcount::realtime::socketio {
namespace {

/// Longest ack id we accept: 18 digits always fit in 64 bits.
constexpr std::size_t max_id_digits = 18;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

const boost::json::value* placeholder_num(const boost::json::object& o) {
    const auto* flag = o.if_contains("_placeholder");
    if (flag == nullptr || !flag->is_bool() || !flag->get_bool())
        return nullptr;
    static const boost::json::value missing;
    const auto* num = o.if_contains("num");
    return num != nullptr ? num : &missing;
}

/// The buffer a placeholder's `num` names: a non-negative integer below `count` (a JSON
/// number may be a double such as `1e300`, which no integer type holds).
std::optional<std::size_t> index_of(const boost::json::value& num, std::size_t count) {
    if (num.is_int64() && num.get_int64() >= 0 &&
        static_cast<std::uint64_t>(num.get_int64()) < count)
        return static_cast<std::size_t>(num.get_int64());
    if (num.is_uint64() && num.get_uint64() < count)
        return static_cast<std::size_t>(num.get_uint64());
    if (num.is_double()) {
        const double d = num.get_double();
        if (d >= 0 && d < static_cast<double>(count) && d == std::floor(d))
            return static_cast<std::size_t>(d);
    }
    return std::nullopt;
}

bool payload_valid(packet_type type, const std::optional<boost::json::value>& data) {
    switch (type) {
        case packet_type::connect:
            return !data || data->is_object();
        case packet_type::disconnect:
            return !data;
        case packet_type::connect_error:
            return data && (data->is_object() || data->is_string());
        case packet_type::event:
        case packet_type::binary_event: {
            if (!data || !data->is_array() || data->get_array().empty())
                return false;
            const auto& name = data->get_array().front();
            if (name.is_string())
                return !is_reserved_event(name.get_string());
            return name.is_number();
        }
        case packet_type::ack:
        case packet_type::binary_ack:
            return data && data->is_array();
    }
    return false;
}

/// Calls `visit(placeholder, num)` for each placeholder in document order; `Value` is
/// `boost::json::value` or its const.
template <class Value, class Visit>
void for_each_placeholder(Value& v, Visit& visit) {
    if (v.is_array()) {
        for (auto& item : v.get_array())
            for_each_placeholder(item, visit);
    } else if (v.is_object()) {
        auto& o = v.get_object();
        if (const auto* num = placeholder_num(o)) {
            visit(v, *num);
            return;
        }
        for (auto& member : o)
            for_each_placeholder(member.value(), visit);
    }
}

}  // namespace

bool is_reserved_event(std::string_view name) {
    static constexpr std::array<std::string_view, 6> reserved{
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"};
    return std::ranges::any_of(reserved, [&](std::string_view r) { return r == name; });
}

std::optional<packet> decode(std::string_view text) {
    if (text.empty() || text.front() < '0' || text.front() > '6')
        return std::nullopt;
    packet p;
    p.type = static_cast<packet_type>(text.front() - '0');
    std::size_t i = 1;
    if (p.type == packet_type::binary_event || p.type == packet_type::binary_ack) {
        const auto dash = text.find('-', i);
        if (dash == std::string_view::npos || dash == i || dash - i > 2)
            return std::nullopt;
        std::size_t count = 0;
        for (; i < dash; ++i) {
            if (!is_digit(text[i]))
                return std::nullopt;
            count = count * 10 + static_cast<std::size_t>(text[i] - '0');
        }
        if (count > max_attachments)
            return std::nullopt;
        p.attachments = count;
        i = dash + 1;
    }
    // The namespace runs to the first comma, or to the end (`40/custom` has none).
    if (i < text.size() && text[i] == '/') {
        const auto comma = text.find(',', i);
        const auto end = comma == std::string_view::npos ? text.size() : comma;
        p.nsp = std::string(text.substr(i, end - i));
        i = comma == std::string_view::npos ? end : end + 1;
    }
    const auto id_start = i;
    while (i < text.size() && is_digit(text[i]))
        ++i;
    if (i > id_start) {
        if (i - id_start > max_id_digits)
            return std::nullopt;
        std::uint64_t id = 0;
        for (auto k = id_start; k < i; ++k)
            id = id * 10 + static_cast<std::uint64_t>(text[k] - '0');
        p.id = id;
    }
    if (i < text.size()) {
        p.data = json::parse(text.substr(i));
        if (!p.data)
            return std::nullopt;
    }
    if (!payload_valid(p.type, p.data))
        return std::nullopt;
    return p;
}

std::string encode(
    packet_type type,
    std::string_view nsp,
    std::optional<std::uint64_t> id,
    const boost::json::value* data,
    std::size_t attachments
) {
    std::string out;
    out.reserve(32);
    out.push_back('4');
    out.push_back(static_cast<char>('0' + static_cast<int>(type)));
    if (type == packet_type::binary_event || type == packet_type::binary_ack) {
        out.append(std::to_string(attachments));
        out.push_back('-');
    }
    if (nsp != "/") {
        out.append(nsp);
        out.push_back(',');
    }
    if (id)
        out.append(std::to_string(*id));
    if (data != nullptr)
        json::write(out, *data);
    return out;
}

bool placeholders_valid(const boost::json::value& data, std::size_t count) {
    bool ok = true;
    auto check = [&](const boost::json::value&, const boost::json::value& num) {
        ok = ok && index_of(num, count).has_value();
    };
    for_each_placeholder(data, check);
    return ok;
}

void renumber_placeholders(boost::json::value& data, std::vector<std::string>& buffers) {
    std::vector<std::string> ordered;
    ordered.reserve(buffers.size());
    auto renumber = [&](boost::json::value& v, const boost::json::value& num) {
        const auto index = *index_of(num, buffers.size());
        ordered.push_back(buffers[index]);
        boost::json::object canonical;
        canonical["_placeholder"] = true;
        canonical["num"] = ordered.size() - 1;
        v = std::move(canonical);
    };
    for_each_placeholder(data, renumber);
    buffers = std::move(ordered);
}

}  // namespace headcount::realtime::socketio
