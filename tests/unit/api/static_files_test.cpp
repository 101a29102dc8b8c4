#include "api/static_files.hpp"

#include <array>

#include <gtest/gtest.h>

namespace headcount::api {
namespace {

TEST(AcceptsGzip, FollowsTheCodingsAndTheirWeights) {
    struct vector {
        std::string_view header;
        bool gzip;
    };
    const vector vectors[] = {
        {"", false},
        {"gzip", true},
        {"gzip, deflate, br", true},
        {"deflate, br", false},
        {"GZIP", true},
        {"x-gzip", true},
        {"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
        {"gzip;q=0", false},
        {"gzip; q=0.000", false},
        {"gzip;q=0.001", true},
        {"*", true},
        {"*;q=0", false},
        {"*, gzip;q=0", false},
        {"gzip;q=0, *", false},
        {"identity", false},
        {"gzip;q=bogus", false},
        {" , gzip ,", true},
    };
    for (const auto& v : vectors)
        EXPECT_EQ(accepts_gzip(v.header), v.gzip) << "Accept-Encoding: " << v.header;
}

TEST(NoneMatch, ComparesWeaklyAndAcceptsLists) {
    EXPECT_TRUE(none_match("\"abc\"", "\"abc\""));
    EXPECT_TRUE(none_match("W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(none_match("\"x\", \"abc\"", "\"abc\""));
    EXPECT_TRUE(none_match("*", "\"abc\""));
    EXPECT_FALSE(none_match("", "\"abc\""));
    EXPECT_FALSE(none_match("\"abd\"", "\"abc\""));
    EXPECT_FALSE(none_match("abc", "\"abc\""));
}

TEST(ContentType, ByExtension) {
    EXPECT_EQ(content_type_of("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(content_type_of("assets/v/js/main.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(content_type_of("assets/v/css/app.css"), "text/css; charset=utf-8");
    EXPECT_EQ(content_type_of("favicon.svg"), "image/svg+xml");
    EXPECT_EQ(content_type_of("data.bin"), "application/octet-stream");
}

// Hashes are the build's; here any distinct hex strings do.
const std::array<embedded_file, 4> files{{
    {"index.html", "<!doctype html>",
     "1111111111111111111111111111111111111111111111111111111111111111"},
    {"index.html.gz", "GZ", "2222222222222222222222222222222222222222222222222222222222222222"},
    {"assets/v1/js/main.js", "export {};",
     "3333333333333333333333333333333333333333333333333333333333333333"},
    {"socket.io/socket.io.js", "io",
     "4444444444444444444444444444444444444444444444444444444444444444"},
}};

http::request request(std::vector<std::pair<std::string, std::string>> headers) {
    http::request ctx;
    ctx.headers = std::move(headers);
    return ctx;
}

std::string header(const response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name)
            return v;
    }
    return "(absent)";
}

TEST(StaticFiles, IndexesByUrlPathAndPairsGzipVariants) {
    const static_files index(files);
    EXPECT_EQ(index.size(), 3U);
    const auto* shell = index.find("/index.html");
    ASSERT_NE(shell, nullptr);
    EXPECT_EQ(shell->identity, "<!doctype html>");
    EXPECT_EQ(shell->gzip, "GZ");
    EXPECT_EQ(shell->etag, "\"11111111111111111111\"");
    EXPECT_EQ(shell->gzip_etag, "\"22222222222222222222\"");
    EXPECT_EQ(shell->caching, cache_policy::revalidate);
    EXPECT_EQ(index.find("/assets/v1/js/main.js")->caching, cache_policy::immutable);
    EXPECT_TRUE(index.find("/assets/v1/js/main.js")->gzip.empty());
    EXPECT_EQ(index.find("/index.html.gz"), nullptr);
    EXPECT_EQ(index.find("index.html"), nullptr);
}

TEST(StaticFiles, ServesGzipOnlyToClientsThatAcceptIt) {
    const static_files index(files);
    const auto* shell = index.find("/index.html");
    const auto plain = static_files::serve(*shell, request({}));
    EXPECT_EQ(plain.status, 200U);
    EXPECT_EQ(plain.body, "<!doctype html>");
    EXPECT_EQ(plain.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(plain, "Content-Encoding"), "(absent)");
    EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding");
    EXPECT_EQ(header(plain, "ETag"), shell->etag);
    EXPECT_EQ(header(plain, "Cache-Control"), "no-cache");

    const auto gz = static_files::serve(*shell, request({{"accept-encoding", "gzip, br"}}));
    EXPECT_EQ(gz.body, "GZ");
    EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
    EXPECT_EQ(header(gz, "ETag"), shell->gzip_etag);
    EXPECT_EQ(gz.content_type, "text/html; charset=utf-8");
}

TEST(StaticFiles, AnswersNotModifiedForTheSameRepresentationOnly) {
    const static_files index(files);
    const auto* shell = index.find("/index.html");
    const auto same = static_files::serve(*shell, request({{"if-none-match", shell->etag}}));
    EXPECT_EQ(same.status, 304U);
    EXPECT_TRUE(same.body.empty());
    EXPECT_TRUE(same.content_type.empty());
    EXPECT_EQ(header(same, "ETag"), shell->etag);
    // the gzip representation's tag does not validate the identity one
    const auto other = static_files::serve(*shell, request({{"if-none-match", shell->gzip_etag}}));
    EXPECT_EQ(other.status, 200U);
}

TEST(StaticFiles, SendsSecurityHeadersAndLongCachingForVersionedAssets) {
    const static_files index(files);
    const auto r = static_files::serve(*index.find("/assets/v1/js/main.js"), request({}));
    EXPECT_EQ(header(r, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(header(r, "Vary"), "(absent)");
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header(r, "Content-Security-Policy"), content_security_policy);
    EXPECT_NE(header(r, "Content-Security-Policy").find("script-src 'self';"), std::string::npos);
}

TEST(StaticFiles, RefusesAGzipFileWithoutItsOriginal) {
    const std::array<embedded_file, 1> orphan{{{"a.js.gz", "GZ", "55"}}};
    EXPECT_THROW(static_files{orphan}, std::logic_error);
}

}  // namespace
}  // namespace headcount::api
