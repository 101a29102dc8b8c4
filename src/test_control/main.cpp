// headcount-testable: the headcount binary plus the test control (HEADCOUNT_TEST_CLOCK=1), for
// the black-box tests that move time instead of sleeping. Never shipped.
#include "app/cli.hpp"
#include "test_control/clock_control.hpp"

int main(int argc, char** argv) {
    return headcount::app::run_cli(argc, argv, headcount::test_control::mount_clock_control);
}
