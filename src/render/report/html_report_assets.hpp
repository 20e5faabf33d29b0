#pragma once
// The HTML report's style sheet and script, written inline into every report so that the
// file stands alone (no network, no fonts, nothing beside it).

#include <string_view>

namespace tfx::render::html_report {

/// Screen and print styles. Printing drops the detail panel and the sticky header.
extern const std::string_view kStyle;

/// Interaction only (the report reads the same without it): clicking any element with
/// data-frame="N" selects that segment and shows its meaning in the detail panel; the arrow
/// keys (or j/k) step through the segments; the connection table sorts by a clicked column.
extern const std::string_view kScript;

}  // namespace tfx::render::html_report
