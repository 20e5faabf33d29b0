#include "render/findings.hpp"

#include <algorithm>

namespace tfx::render {

bool is_finding(AnnotationCode code) { return code_severity(code) != Severity::Info; }

bool shown_when_findings_only(const AnnotatedSegment& s) {
    if (s.change_count > 0) return true;
    const auto notes = s.notes();
    return std::any_of(notes.begin(), notes.end(), [](const Annotation& a) { return is_finding(a.code); });
}

void FindingsTally::add(const ConversationSummary& s) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const auto count = s.counts[i];
        if (count == 0 || !is_finding(static_cast<AnnotationCode>(i))) continue;
        auto& e = entries_[i];
        e.findings += count;
        ++e.connections;
        if (e.first_ids.size() < kListedConnections) e.first_ids.push_back(s.id);
    }
}

bool FindingsTally::empty() const {
    return std::all_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.findings == 0; });
}

}  // namespace tfx::render
