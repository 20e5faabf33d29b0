#pragma once
// The client's and the server's colours in every picture (ladder SVG, state diagrams, DOT) and
// in the HTML report: blue for the client, purple for the server, as the terminal outputs
// colour them (render::Style: SGR blue and magenta). Red stays free for resets and errors.

#include <string_view>

namespace tfx::render {

inline constexpr std::string_view kClientColour = "#1f5fbf";
inline constexpr std::string_view kServerColour = "#a0307f";
/// Pale versions of the same hues, for filled boxes whose text must stay readable.
inline constexpr std::string_view kClientFill = "#dce7f7";
inline constexpr std::string_view kServerFill = "#f3dcea";

}  // namespace tfx::render
