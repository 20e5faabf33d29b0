#pragma once
// The HTML report's style sheet and script, written inline into every report so that the
// file stands alone (no network, no fonts, nothing beside it).

#include <string>
#include <string_view>

namespace tfx::render::html_report {

/// Screen and print styles. Printing drops the detail panel and the sticky header.
extern const std::string_view kStyle;

/// Interaction only (the report reads the same without it): clicking any element with
/// data-frame="N" selects that segment and shows its meaning in the detail panel; the arrow
/// keys (or j/k) step through the segments; the connection table sorts by a clicked column.
/// Written by append_script(), which fills in the panel title's word.
extern const std::string_view kScript;

/// Appends kScript, the detail panel titled "`frame_word` N" ("Frame 4", "Trame 4").
void append_script(std::string& out, std::string_view frame_word);

}  // namespace tfx::render::html_report
