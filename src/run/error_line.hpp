#pragma once
// The one line a command writes on standard error for an error, a warning or a note:
// "tcpflow-explain: error: PROBLEM" in the run's language, the problem's control bytes made
// printable (a capture's path or a libpcap message may hold any byte).

#include <string_view>

#include "i18n/messages.hpp"
#include "tfx/language.hpp"

namespace tfx::run {

/// The name the lines of the main command begin with.
inline constexpr std::string_view kProgram = "tcpflow-explain";

/// Writes `kind` (ErrorLine, WarningLine or NoteLine) for `program` and `problem` in `lang`,
/// one line on standard error; the line feeds of a problem of several lines are kept.
void complain(Language lang, i18n::Msg kind, std::string_view program, std::string_view problem);

}  // namespace tfx::run
