// make_renderer (include/tfx/render.hpp): the format and options choose the renderer.

#include "render/renderers.hpp"

namespace tfx {

std::unique_ptr<EventSink> make_renderer(OutputFormat format, std::FILE* out, const RenderOptions& options) {
    switch (format) {
        case OutputFormat::Json: return render::make_json_renderer(out, options, false);
        case OutputFormat::Jsonl: return render::make_json_renderer(out, options, true);
        case OutputFormat::Dot:
            return options.graph == GraphKind::Talkers ? render::make_talkers_renderer(out, options.language)
                                                       : render::make_dot_renderer(out, options);
        case OutputFormat::Csv: return render::make_csv_renderer(out);
        case OutputFormat::Ladder: return render::make_ladder_text_renderer(out, options);
        case OutputFormat::Mermaid: return render::make_mermaid_renderer(out, options);
        case OutputFormat::Svg:
            return options.graph == GraphKind::TimeSequence ? render::make_timeseq_renderer(out, options.language)
                                                            : render::make_ladder_svg_renderer(out, options);
        case OutputFormat::Html: return render::make_html_renderer(out, options);
        case OutputFormat::Text: break;
    }
    if (options.summary_only) return render::make_summary_renderer(out, options.language);
    return render::make_text_renderer(out, options);
}

}  // namespace tfx
