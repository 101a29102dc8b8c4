#include "common/logging.hpp"

#include <cctype>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/json.hpp"

namespace headcount::log {
namespace {

/// `2024-01-16T10:00:00.000Z`: ISO-8601 UTC with milliseconds.
bool is_iso_millis(std::string_view t) {
    constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (t.size() != shape.size())
        return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const bool digit = std::isdigit(static_cast<unsigned char>(t[i])) != 0;
        if (shape[i] == 'd' ? !digit : t[i] != shape[i])
            return false;
    }
    return true;
}

/// What the loggers write to standard error while `emit` runs.
template <class Emit>
std::string captured_stderr(Emit emit) {
    std::fflush(stderr);
    char path[] = "/tmp/headcount-log-XXXXXX";
    const int file = mkstemp(path);
    const int saved = dup(STDERR_FILENO);
    dup2(file, STDERR_FILENO);
    emit();
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    std::string out;
    if (FILE* f = std::fopen(path, "r")) {
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
            out.append(buf, n);
        std::fclose(f);
    }
    close(file);
    std::remove(path);
    return out;
}

TEST(Logging, WritesOneJsonObjectALineWithTimeLevelModuleMessageAndFields) {
    const logger log("unit-test");
    const auto out = captured_stderr([&] {
        log.warn("disk \"slow\"", {{"ms", 12}, {"ok", false}, {"who", "ann"}, {"none", nullptr}});
    });
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line";
    const auto line = json::parse(out.substr(0, out.size() - 1));
    ASSERT_TRUE(line) << out;
    const auto& o = line->as_object();
    EXPECT_TRUE(is_iso_millis(o.at("time").as_string())) << o.at("time");
    EXPECT_EQ(o.at("level").as_string(), "warn");
    EXPECT_EQ(o.at("module").as_string(), "unit-test");
    EXPECT_EQ(o.at("msg").as_string(), "disk \"slow\"");
    EXPECT_EQ(o.at("ms").as_int64(), 12);
    EXPECT_EQ(o.at("ok").as_bool(), false);
    EXPECT_EQ(o.at("who").as_string(), "ann");
    EXPECT_TRUE(o.at("none").is_null());
    EXPECT_EQ(out.find(R"({"time")"), 0U) << "keys in the documented order";
}

TEST(Logging, TheLevelSetReachesEveryModuleIncludingLaterOnes) {
    const logger before("unit-before");
    set_level(level::warn);
    const logger after("unit-after");
    EXPECT_FALSE(before.enabled(level::info));
    EXPECT_FALSE(after.enabled(level::info));
    EXPECT_TRUE(after.enabled(level::error));
    EXPECT_EQ(captured_stderr([&] { before.info("hidden"); }), "");
    set_level(level::debug);
    EXPECT_TRUE(before.enabled(level::debug));
    EXPECT_TRUE(after.enabled(level::debug));
    const auto shown = captured_stderr([&] { after.debug("shown"); });
    EXPECT_NE(
        shown.find(R"("level":"debug","module":"unit-after","msg":"shown")"), std::string::npos
    ) << shown;
    set_level(level::info);
}

TEST(Logging, LoggersOfOneModuleShareItsSettings) {
    const logger a("unit-shared");
    const logger b("unit-shared");
    const auto out = captured_stderr([&] {
        a.error("first");
        b.error("second");
    });
    EXPECT_NE(out.find(R"("msg":"first")"), std::string::npos);
    EXPECT_NE(out.find(R"("msg":"second")"), std::string::npos);
}

}  // namespace
}  // namespace headcount::log
