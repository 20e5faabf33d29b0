#include "step/step.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "i18n/catalogue.hpp"
#include "run/capture_runner.hpp"
#include "run/error_line.hpp"
#include "step/pager.hpp"
#include "step/terminal.hpp"

namespace tfx::step {

std::string step_problem(const StepRequest& r, Language lang) {
    using i18n::Msg;
    if (r.format != OutputFormat::Text && r.format != OutputFormat::Ladder)
        return i18n::said(lang, Msg::StepNeedsTextOrLadder);
    if (r.summary) return i18n::said(lang, Msg::StepOrSummary);
    if (r.follow) return i18n::said(lang, Msg::StepOrFollow);
    if (r.live) return i18n::said(lang, Msg::StepNotLive);
    if (r.capture_on_stdin) return i18n::said(lang, Msg::StepNotStandardInput);
    return terminal_problem(lang);
}

int show(const Recorder& recorder, bool color) {
    if (recorder.over_bound()) {
        run::complain(recorder.language(), i18n::Msg::ErrorLine, run::kProgram,
                      i18n::said(recorder.language(), i18n::Msg::StepTooManySegments, {kMaxStops}));
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
