// Entry point: hands argv to the walkthrough command or to `check`. No analysis here.

#include <cstring>

#include "check/check_command.hpp"
#include "cli/walkthrough.hpp"

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "check") == 0) return tfx::check::run(argc - 1, argv + 1);
    return tfx::cli::run_walkthrough(argc, argv);
}
