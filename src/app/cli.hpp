#pragma once

namespace headcount::app {

/// `headcount serve | migrate | user add | token`, with every setting as a flag of the same
/// meaning as its environment variable (a flag beats the environment). Returns the exit
/// status: 0 done, 1 failed, 2 bad usage or settings.
int run_cli(int argc, char** argv);

}  // namespace headcount::app
