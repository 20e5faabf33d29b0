#pragma once
// Private factory functions, one per format; make_renderer() picks among them.

#include <cstdio>
#include <memory>

#include "tfx/render.hpp"

namespace tfx::render {

std::unique_ptr<EventSink> make_text_renderer(std::FILE* out, const RenderOptions& o);
std::unique_ptr<EventSink> make_json_renderer(std::FILE* out, const RenderOptions& o, bool lines);
std::unique_ptr<EventSink> make_dot_renderer(std::FILE* out, const RenderOptions& o);
std::unique_ptr<EventSink> make_talkers_renderer(std::FILE* out, Language lang);
std::unique_ptr<EventSink> make_ladder_text_renderer(std::FILE* out, const RenderOptions& o);
std::unique_ptr<EventSink> make_mermaid_renderer(std::FILE* out, const RenderOptions& o);
std::unique_ptr<EventSink> make_ladder_svg_renderer(std::FILE* out, const RenderOptions& o);
std::unique_ptr<EventSink> make_timeseq_renderer(std::FILE* out, Language lang);
std::unique_ptr<EventSink> make_html_renderer(std::FILE* out, const RenderOptions& o);
std::unique_ptr<EventSink> make_summary_renderer(std::FILE* out, Language lang);
std::unique_ptr<EventSink> make_csv_renderer(std::FILE* out);

}  // namespace tfx::render
