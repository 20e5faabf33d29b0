#include "render/selection_text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tfx::render {

namespace {

std::string numbers(const std::vector<ConversationId>& ids) { return fmt::format("{}", fmt::join(ids, ", ")); }

}  // namespace

std::string selection_text(const CaptureSummary::Selection& selection, std::uint64_t conversations) {
    std::string out =
        fmt::format("Showing connection{} {} of {} (--conn); the others were analysed, not shown.",
                    selection.connections.size() == 1 ? "" : "s", numbers(selection.connections), conversations);
    if (!selection.missing.empty())
        out += fmt::format("\nNo connection{} {} in this capture.", selection.missing.size() == 1 ? "" : "s",
                           numbers(selection.missing));
    return out;
}

}  // namespace tfx::render
