#include "common/csv.hpp"

namespace headcount::csv {

std::vector<record> parse(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    std::vector<record> records;
    std::size_t line = 1;
    std::size_t i = 0;
    const std::size_t n = text.size();

    auto at_line_end = [&](std::size_t at) {
        return at >= n || text[at] == '\r' || text[at] == '\n';
    };
    auto skip_line_end = [&] {
        if (i < n && text[i] == '\r')
            ++i;
        if (i < n && text[i] == '\n')
            ++i;
        ++line;
    };

    while (i < n) {
        record rec;
        rec.line = line;
        if (at_line_end(i)) {  // a blank line is not a record
            skip_line_end();
            continue;
        }
        while (true) {
            std::string field;
            if (i < n && text[i] == '"') {
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field.push_back('"');
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\n')
                        ++line;
                    field.push_back(c);
                    ++i;
                }
                if (!closed) {
                    rec.error = "a quoted field is not closed";
                } else if (i < n && text[i] != ',' && !at_line_end(i)) {
                    rec.error = "unexpected text after a closing quote";
                    while (i < n && !at_line_end(i))
                        ++i;  // the rest of the line is garbage
                }
            } else {
                while (i < n && text[i] != ',' && !at_line_end(i)) {
                    if (text[i] == '"' && !rec.error)
                        rec.error = "a quote inside an unquoted field";
                    field.push_back(text[i]);
                    ++i;
                }
            }
            rec.fields.push_back(std::move(field));
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            break;
        }
        if (i < n)
            skip_line_end();
        records.push_back(std::move(rec));
    }
    return records;
}

namespace {

/// What a spreadsheet takes for the start of a formula (or, for tab and CR, strips before
/// looking for one).
bool starts_like_a_formula(std::string_view field) {
    return !field.empty() &&
           std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
}

}  // namespace

void write_field(std::string& out, std::string_view field) {
    const bool quoted = field.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quoted)
        out.push_back('"');
    if (starts_like_a_formula(field))
        out.push_back('\'');
    for (const char c : field) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    if (quoted)
        out.push_back('"');
}

void write_row(std::string& out, const std::vector<std::string>& fields) {
    bool first = true;
    for (const auto& f : fields) {
        if (!first)
            out.push_back(',');
        first = false;
        write_field(out, f);
    }
    out.append("\r\n");
}

}  // namespace headcount::csv
