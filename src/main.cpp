#include "app/cli.hpp"

int main(int argc, char** argv) {
    return headcount::app::run_cli(argc, argv);
}
