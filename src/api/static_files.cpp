#include "api/static_files.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include "common/text.hpp"

namespace headcount::api {
namespace {

constexpr std::string_view gzip_suffix = ".gz";
/// Enough of the SHA-256 to tell versions apart; ETags need not be the whole digest.
constexpr std::size_t etag_digits = 20;

std::string quoted_etag(std::string_view sha256) {
    return "\"" + std::string(sha256.substr(0, etag_digits)) + "\"";
}

/// Calls `each` with every comma-separated element of a header value, trimmed, skipping empties.
template <typename Each>
void for_each_element(std::string_view value, Each each) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const auto element = text::trim(value.substr(0, comma));
        if (!element.empty())
            each(element);
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
}

/// The weight of one Accept-Encoding element (`gzip;q=0.5` → 0.5); 1 without `q`, and 0 for
/// a `q` that does not parse (a broken preference is not consent).
double quality(std::string_view parameters) {
    while (!parameters.empty()) {
        const auto semicolon = parameters.find(';');
        const auto parameter = text::trim(parameters.substr(0, semicolon));
        if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') &&
            parameter[1] == '=') {
            double q = 0;
            const auto digits = parameter.substr(2);
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), q);
            return ec == std::errc{} && end == digits.data() + digits.size() ? q : 0.0;
        }
        if (semicolon == std::string_view::npos)
            break;
        parameters.remove_prefix(semicolon + 1);
    }
    return 1.0;
}

std::string_view strip_weak(std::string_view tag) {
    return tag.starts_with("W/") ? tag.substr(2) : tag;
}

std::string_view cache_control_of(cache_policy caching) {
    switch (caching) {
        case cache_policy::revalidate:
            return "no-cache";
        case cache_policy::immutable:
            return "public, max-age=31536000, immutable";
    }
    return "no-cache";
}

using header_list = std::vector<std::pair<std::string, std::string>>;

/// Sent with every file. Kept as strings built once: appending copies of them also steers
/// clear of g++ 12's false -Warray-bounds on short string temporaries moved into a vector.
const header_list& security_headers() {
    static const header_list headers{
        {"Content-Security-Policy", std::string(content_security_policy)},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
    };
    return headers;
}

const header_list& gzip_headers() {
    static const header_list headers{{"Content-Encoding", "gzip"}};
    return headers;
}

void append(response& r, const header_list& headers) {
    r.headers.insert(r.headers.end(), headers.begin(), headers.end());
}

}  // namespace

const std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

std::string_view content_type_of(std::string_view path) {
    static constexpr std::pair<std::string_view, std::string_view> types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    for (const auto& [extension, type] : types) {
        if (path.ends_with(extension))
            return type;
    }
    return "application/octet-stream";
}

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<double> gzip;
    std::optional<double> any;
    for_each_element(accept_encoding, [&](std::string_view element) {
        const auto semicolon = element.find(';');
        const auto coding = text::ascii_lower(text::trim(element.substr(0, semicolon)));
        const double q =
            semicolon == std::string_view::npos ? 1.0 : quality(element.substr(semicolon + 1));
        if (coding == "gzip" || coding == "x-gzip") {
            gzip = q;
        } else if (coding == "*") {
            any = q;
        }
    });
    if (gzip)
        return *gzip > 0;
    return any.value_or(0) > 0;
}

bool none_match(std::string_view if_none_match, std::string_view etag) {
    bool found = false;
    const auto wanted = strip_weak(etag);
    for_each_element(if_none_match, [&](std::string_view tag) {
        if (tag == "*" || strip_weak(tag) == wanted)
            found = true;
    });
    return found;
}

static_files::static_files(std::span<const embedded_file> files) {
    std::map<std::string_view, const embedded_file*> compressed;
    for (const auto& f : files) {
        if (f.path.ends_with(gzip_suffix)) {
            compressed.emplace(f.path.substr(0, f.path.size() - gzip_suffix.size()), &f);
            continue;
        }
        file entry;
        entry.content_type = content_type_of(f.path);
        entry.identity = f.data;
        entry.etag = quoted_etag(f.sha256);
        entry.caching =
            f.path.starts_with("assets/") ? cache_policy::immutable : cache_policy::revalidate;
        by_path_.emplace("/" + std::string(f.path), std::move(entry));
    }
    for (const auto& [path, gz] : compressed) {
        const auto found = by_path_.find("/" + std::string(path));
        if (found == by_path_.end())
            throw std::logic_error(
                "embedded " + std::string(gz->path) + " has no uncompressed file"
            );
        found->second.gzip = gz->data;
        found->second.gzip_etag = quoted_etag(gz->sha256);
    }
}

const static_files::file* static_files::find(std::string_view path) const {
    const auto found = by_path_.find(path);
    return found == by_path_.end() ? nullptr : &found->second;
}

response static_files::serve(const file& f, const http::request& req) {
    const bool gzip = !f.gzip.empty() && accepts_gzip(req.header("accept-encoding"));
    const auto& etag = gzip ? f.gzip_etag : f.etag;
    response r;
    r.header("ETag", etag);
    r.header("Cache-Control", std::string(cache_control_of(f.caching)));
    if (!f.gzip.empty())
        r.header("Vary", "Accept-Encoding");
    append(r, security_headers());
    if (none_match(req.header("if-none-match"), etag)) {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    r.content_type = std::string(f.content_type);
    if (gzip)
        append(r, gzip_headers());
    r.body = std::string(gzip ? f.gzip : f.identity);
    return r;
}

}  // namespace headcount::api
