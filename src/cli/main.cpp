// Entry point: hands argv to the walkthrough command, to `check` or to `demo`. No analysis here.
// Any exception that reaches this point (out of memory, a spill file that cannot be read
// back, ...) ends the run with one error line and a documented status, instead of
// std::terminate's abort and core dump.

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

#include "cli/check_command.hpp"
#include "demo/demo_command.hpp"
#include "text/terminal_text.hpp"
#include "cli/walkthrough.hpp"
#include "run/capture_runner.hpp"

namespace {

template <typename Command>
int guarded(const char* prog, int failure_status, Command command) {
    try {
        return command();
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "%s: error: out of memory\n", prog);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: internal error: %s\n", prog, tfx::text::printable(e.what()).c_str());
    } catch (...) {
        std::fprintf(stderr, "%s: error: internal error\n", prog);
    }
    return failure_status;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "check") == 0)
        return guarded("tcpflow-explain check", tfx::cli::check_status::kError,
                       [&] { return tfx::cli::run_check(argc - 1, argv + 1); });
    if (argc > 1 && std::strcmp(argv[1], "demo") == 0)
        return guarded("tcpflow-explain demo", tfx::run::exit_code::kInternal,
                       [&] { return tfx::demo::run_demo(argc - 1, argv + 1); });
    return guarded("tcpflow-explain", tfx::run::exit_code::kInternal,
                   [&] { return tfx::cli::run_walkthrough(argc, argv); });
}
