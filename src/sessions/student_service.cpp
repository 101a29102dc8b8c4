#include "sessions/student_service.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "auth/account_rules.hpp"
#include "common/csv.hpp"
#include "common/text.hpp"

namespace headcount::sessions {
namespace {

constexpr std::int64_t max_safe_integer = 9007199254740991;  // JavaScript's Number.MAX_SAFE_INTEGER

/// A raw student before validation; the JSON and CSV paths both fill one.
struct student_input {
    std::optional<std::int64_t> id;
    bool id_present = false;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<std::string> department;
    bool department_wrong_type = false;
    std::optional<std::string> email;
};

outcome<student> check(const student_input& in) {
    std::map<std::string, std::string> fields;
    if (!in.id || *in.id < 0 || *in.id > max_safe_integer) {
        fields["studentId"] = "must be a non-negative integer";
    }
    const auto required = [&](const char* name, const std::optional<std::string>& v) {
        if (!v || text::trim(*v).empty())
            fields[name] = "is required";
    };
    required("firstName", in.first_name);
    required("lastName", in.last_name);
    if (in.department_wrong_type)
        fields["department"] = "must be a string";
    const std::string email = in.email ? std::string(text::trim(*in.email)) : std::string();
    if (const auto why = auth::check_email(email))
        fields["email"] = *why;
    if (!fields.empty())
        return api_error::validation(std::move(fields));
    return student{
        student_id{*in.id},
        std::string(text::trim(*in.first_name)),
        std::string(text::trim(*in.last_name)),
        in.department ? std::string(text::trim(*in.department)) : std::string(),
        email,
    };
}

std::optional<std::string> string_member(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string())
        return std::nullopt;
    return std::string(v->get_string());
}

constexpr std::array csv_columns{"studentid", "firstname", "lastname", "department", "email"};
constexpr std::array csv_names{"studentId", "firstName", "lastName", "department", "email"};

}  // namespace

outcome<student> student_service::validate(const boost::json::value& body) {
    if (!body.is_object())
        return api_error::validation("body", "must be a JSON object");
    const auto& o = body.get_object();
    student_input in;
    if (const auto* id = o.if_contains("studentId")) {
        in.id_present = true;
        if (id->is_int64()) {
            in.id = id->get_int64();
        } else if (id->is_uint64() && id->get_uint64() <= static_cast<std::uint64_t>(max_safe_integer)) {
            in.id = static_cast<std::int64_t>(id->get_uint64());
        } else if (id->is_double() && std::trunc(id->get_double()) == id->get_double() && std::abs(id->get_double()) <= static_cast<double>(max_safe_integer)) {
            in.id = static_cast<std::int64_t>(id->get_double());
        }
    }
    in.first_name = string_member(o, "firstName");
    in.last_name = string_member(o, "lastName");
    if (const auto* d = o.if_contains("department"); d != nullptr && !d->is_null()) {
        if (d->is_string()) {
            in.department = std::string(d->get_string());
        } else {
            in.department_wrong_type = true;
        }
    }
    in.email = string_member(o, "email");
    return check(in);
}

bool student_service::save(student_repository& repo, const student& s) {
    return repo.upsert(index_student(s));
}

outcome<import_report> student_service::import_csv(
    student_repository& repo, std::string_view text
) {
    const auto records = csv::parse(text);
    if (records.empty())
        return api_error::validation("header", "the file is empty");
    const auto& header = records.front().fields;
    std::array<std::optional<std::size_t>, csv_columns.size()> column{};
    for (std::size_t i = 0; i < header.size(); ++i) {
        const auto name = text::ascii_lower(text::trim(header[i]));
        for (std::size_t c = 0; c < csv_columns.size(); ++c) {
            if (name == csv_columns[c] && !column[c])
                column[c] = i;
        }
    }
    for (std::size_t c = 0; c < csv_columns.size(); ++c) {
        if (!column[c] && std::string_view(csv_names[c]) != "department") {
            api_error e = api_error::validation(
                "header", std::string("the header has no \"") + csv_names[c] + "\" column"
            );
            e.message = "CSV header must be studentId,firstName,lastName,department,email";
            return e;
        }
    }

    import_report report;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        if (rec.error) {
            report.errors.push_back({rec.line, *rec.error});
            continue;
        }
        if (rec.fields.size() != header.size()) {
            report.errors.push_back(
                {rec.line, "expected " + std::to_string(header.size()) + " fields, found " +
                               std::to_string(rec.fields.size())}
            );
            continue;
        }
        const auto cell = [&](std::size_t c) -> std::optional<std::string> {
            if (!column[c])
                return std::nullopt;
            return rec.fields[*column[c]];
        };
        student_input in;
        if (const auto raw = cell(0)) {
            const auto digits = text::trim(*raw);
            std::int64_t id = 0;
            auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
            if (!digits.empty() && ec == std::errc{} && end == digits.data() + digits.size() &&
                digits.front() != '-') {
                in.id = id;
            }
        }
        in.first_name = cell(1);
        in.last_name = cell(2);
        in.department = cell(3);
        in.email = cell(4);
        auto checked = check(in);
        if (!checked) {
            std::string message;
            for (const auto& [field, why] : checked.error().fields) {
                if (!message.empty())
                    message.append("; ");
                message.append(field).append(" ").append(why);
            }
            report.errors.push_back({rec.line, std::move(message)});
            continue;
        }
        if (save(repo, *checked)) {
            ++report.imported;
        } else {
            ++report.updated;
        }
    }
    return report;
}

}  // namespace headcount::sessions
