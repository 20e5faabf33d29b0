#include "render/selection_text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "i18n/catalogue.hpp"

namespace tfx::render {

namespace {

std::string numbers(const std::vector<ConversationId>& ids) { return fmt::format("{}", fmt::join(ids, ", ")); }

}  // namespace

std::string selection_text(const CaptureSummary::Selection& selection, std::uint64_t conversations, Language lang) {
    using i18n::Msg;
    std::string out = i18n::said(lang, Msg::SelectionShowing,
                                 {selection.connections.size(), numbers(selection.connections), conversations});
    if (!selection.missing.empty())
        out += "\n" + i18n::said(lang, Msg::SelectionMissing, {selection.missing.size(), numbers(selection.missing)});
    return out;
}

}  // namespace tfx::render
