#include "common/thread_name.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include <pthread.h>

namespace headcount {

void name_this_thread(const char* name) {
    // The kernel refuses names longer than 15 bytes (ERANGE) rather than cutting them.
    const std::string cut(name, std::min<std::size_t>(std::strlen(name), 15));
    pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace headcount
