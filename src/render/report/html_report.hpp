#pragma once
// The bounds of the HTML report (-F html). The report holds what it draws until the capture
// ends (the sections are written in connection order, each with its segments), so these
// caps, not the capture, bound its memory and its size. What they leave out is counted and
// said in the report, with how to select it (a BPF filter, --count).

#include <cstddef>

namespace tfx::render::html_report {

/// Connections with a row in the table and a section of their own: the first ones to open.
inline constexpr std::size_t kMaxConnectionsShown = 100;
/// Segments listed (and handed to the pictures) per connection: its first ones.
inline constexpr std::size_t kMaxSegmentsShown = 500;

}  // namespace tfx::render::html_report
