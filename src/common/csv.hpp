#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headcount::csv {

/// One record of a CSV file with the line its first field starts on (the header is line 1),
/// or, when the record is malformed, why.
struct record {
    std::size_t line = 0;
    std::vector<std::string> fields;
    std::optional<std::string> error;
};

/// RFC 4180: comma-separated fields, `"quoted"` fields that may hold commas, doubled quotes
/// and line breaks; CRLF or LF line ends; a leading UTF-8 BOM is skipped; blank lines are
/// not records. A malformed record (text after a closing quote, a quote that never closes)
/// is returned with `error` set so the caller can report its line and go on.
std::vector<record> parse(std::string_view text);

/// Appends one field, quoted when it holds a comma, quote, CR or LF. A field that starts
/// with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so that a spreadsheet opening
/// the file shows it as text instead of running it as a formula (CSV injection, OWASP).
void write_field(std::string& out, std::string_view field);
/// Appends a record of fields followed by CRLF.
void write_row(std::string& out, const std::vector<std::string>& fields);

}  // namespace headcount::csv
