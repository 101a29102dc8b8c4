#pragma once

namespace headcount {

/// Names the calling thread as `top -H`, `ps -L` and profilers show it (at most 15
/// characters, longer names are cut). The main thread keeps the process's own name.
void name_this_thread(const char* name);

}  // namespace headcount
