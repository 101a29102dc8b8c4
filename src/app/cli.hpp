#pragma once

#include "app/application.hpp"

namespace headcount::app {

/// `headcount serve | migrate | user add | token`, with every setting as a flag of the same
/// meaning as its environment variable (a flag beats the environment). Returns the exit
/// status: 0 done, 1 failed, 2 bad usage or settings. `extra` goes to `serve`.
int run_cli(int argc, char** argv, const extra_routes& extra = {});

}  // namespace headcount::app
