#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "common/embedded_file.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace headcount::embedded {
/// The dashboard as the build laid it out (cmake/web_bundle.cmake), `.gz` siblings included.
std::span<const embedded_file> web_files();
}  // namespace headcount::embedded

namespace headcount::api {

using http::response;

/// How long a browser may keep a file before asking again.
enum class cache_policy {
    revalidate,  ///< fixed URLs (the page shell, socket.io.js): `no-cache`, 304 while the ETag
                 ///< holds
    immutable,   ///< content-versioned URLs under `/assets/<version>/`: kept for a year
};

/// Files compiled into the binary, indexed by URL path once at start-up and only read
/// afterwards (safe to share between threads).
class static_files {
public:
    struct file {
        std::string_view content_type;
        std::string_view identity;
        std::string_view gzip;  ///< empty when the build kept no smaller compressed copy
        std::string etag;       ///< strong validator of `identity`, quoted
        std::string gzip_etag;  ///< of `gzip`: each representation has its own
        cache_policy caching = cache_policy::revalidate;
    };

    /// `files` is what embed.cmake produced: `x.gz` entries become the gzip variant of `x`.
    explicit static_files(std::span<const embedded_file> files);

    /// The file at a URL path (`/index.html`, `/assets/…/css/app.css`), or nullptr.
    const file* find(std::string_view path) const;

    std::size_t size() const { return by_path_.size(); }

    /// 200 with the representation the request accepts (gzip when it may), or 304 when its
    /// If-None-Match already names that representation; always with the caching and security
    /// headers.
    static response serve(const file& f, const http::request& req);

private:
    std::map<std::string, file, std::less<>> by_path_;
};

/// Whether an Accept-Encoding value allows gzip (RFC 9110 12.5.3: `q=0` refuses, `*` stands in).
bool accepts_gzip(std::string_view accept_encoding);

/// Whether an If-None-Match value is `*` or lists `etag` (weak comparison, RFC 9110 13.1.2).
bool none_match(std::string_view if_none_match, std::string_view etag);

/// The Content-Type served for a file name, by its extension.
std::string_view content_type_of(std::string_view path);

/// The Content-Security-Policy of every page: our own scripts, styles and connections only.
extern const std::string_view content_security_policy;

}  // namespace headcount::api
