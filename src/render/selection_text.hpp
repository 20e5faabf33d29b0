#pragma once
// The sentence the text outputs end with when only some connections were shown (`--conn`).

#include <string>

#include "tfx/language.hpp"
#include "tfx/session.hpp"

namespace tfx::render {

/// "Showing connections 3, 7 of 120 (--conn); the others were analysed, not shown." and,
/// when some asked for were not in the capture, "No connection 200 in this capture."
/// on a second line, in `lang`. No newline at the end.
[[nodiscard]] std::string selection_text(const CaptureSummary::Selection& selection, std::uint64_t conversations,
                                         Language lang = Language::En);

}  // namespace tfx::render
