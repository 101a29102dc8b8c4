// CSV import bodies come from admins' files: any bytes must parse without crashing, every
// record's line must be within the file, and what we write must parse back the same (a cell
// a spreadsheet would run as a formula reads back with the leading ' the writer adds).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.hpp"

namespace {

std::vector<std::string> as_written(const std::vector<std::string>& fields) {
    std::vector<std::string> out;
    for (const auto& f : fields) {
        const bool formula =
            !f.empty() && std::string_view("=+-@\t\r").find(f[0]) != std::string_view::npos;
        out.push_back(formula ? "'" + f : f);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto records = headcount::csv::parse(text);
    // LF, CRLF and a lone CR each end a line.
    std::size_t lines = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
            ++lines;
    }
    for (const auto& r : records) {
        if (r.line < 1 || r.line > lines)
            std::abort();
    }
    for (const auto& r : records) {
        if (r.error)
            continue;
        std::string written;
        headcount::csv::write_row(written, r.fields);
        const auto again = headcount::csv::parse(written);
        const bool blank = r.fields.size() == 1 && r.fields[0].empty();
        if (blank)
            continue;  // a lone empty field is a blank line, which is no record
        if (r.fields[0].starts_with("\xEF\xBB\xBF"))
            continue;  // read as the file's BOM when it comes first
        if (again.size() != 1 || again[0].fields != as_written(r.fields))
            std::abort();
    }
    return 0;
}
