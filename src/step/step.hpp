#pragma once
// --step for the command line: whether it can run with the options given, and the paging
// once the capture is read into a Recorder.

#include <string>

#include "step/recorder.hpp"

namespace tfx::step {

struct StepRequest {
    OutputFormat format = OutputFormat::Text;
    bool summary = false;
    bool follow = false;
    bool live = false;
    bool capture_on_stdin = false;
};

/// Empty when --step can run; otherwise the usage error to print, in `lang`.
[[nodiscard]] std::string step_problem(const StepRequest& request, Language lang);

/// Pages through what `recorder` holds; returns the exit status.
[[nodiscard]] int show(const Recorder& recorder, bool color);

}  // namespace tfx::step
