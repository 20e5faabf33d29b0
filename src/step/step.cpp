#include "step/step.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "i18n/catalogue.hpp"
#include "run/capture_runner.hpp"
#include "step/pager.hpp"
#include "step/terminal.hpp"

namespace tfx::step {

std::string step_problem(const StepRequest& r) {
    if (r.format != OutputFormat::Text && r.format != OutputFormat::Ladder)
        return "--step shows the walkthrough (--format text) or the ladder (--format ladder)";
    if (r.summary) return "--step shows segments, --summary only connections: choose one";
    if (r.follow) return "--step shows segments, --follow a conversation's bytes: choose one";
    if (r.live) return "--step reads a capture file: save the live capture with -w first, then step through it";
    if (r.capture_on_stdin) return "--step reads its keys on standard input: give the capture as a file";
    return terminal_problem();
}

int show(const Recorder& recorder, bool color) {
    if (recorder.over_bound()) {
        std::fprintf(stderr,
                     "tcpflow-explain: error: --step holds at most %zu segments in memory and this capture shows "
                     "more: choose connections with --conn, or segments with a BPF filter\n",
                     kMaxStops);
        return run::exit_code::kUsage;
    }
    if (recorder.stops().empty()) {
        fmt::print(stdout, "{}\n", i18n::word(recorder.language(), i18n::Msg::StepNothing));
        return run::exit_code::kOk;
    }
    std::fflush(stdout);
    return page(recorder, color);
}

}  // namespace tfx::step
