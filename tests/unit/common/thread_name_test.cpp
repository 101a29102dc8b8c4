#include "common/thread_name.hpp"

#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pthread.h>

namespace headcount {
namespace {

std::string name_seen_after(const char* name) {
    std::string seen;
    std::thread t([&] {
        name_this_thread(name);
        char buffer[32] = {};
        pthread_getname_np(pthread_self(), buffer, sizeof buffer);
        seen = buffer;
    });
    t.join();
    return seen;
}

TEST(ThreadName, NamesTheCallingThreadAndCutsLongNamesTo15Characters) {
    EXPECT_EQ(name_seen_after("hc-io"), "hc-io");
    EXPECT_EQ(name_seen_after("hc-a-name-longer-than-fifteen"), "hc-a-name-longe");
}

}  // namespace
}  // namespace headcount
