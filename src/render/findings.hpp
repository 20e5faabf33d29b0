#pragma once
// What the outputs call a finding, and the capture-wide tally of them (tshark's -z expert).
// A finding is an annotation above Info severity: a problem (Warning, Error) or something
// notable (Note). Info annotations (window updates, keep-alives, inferred roles) describe
// normal traffic and are left out, as the connection summary's "findings:" line leaves them.

#include <array>
#include <cstdint>
#include <vector>

#include "tfx/annotation.hpp"
#include "tfx/render.hpp"
#include "tfx/session.hpp"

namespace tfx::render {

[[nodiscard]] bool is_finding(AnnotationCode code);

/// --findings-only keeps a segment that changes an endpoint's state or carries a finding
/// (malformed frames carry one: their decode error).
[[nodiscard]] bool shown_when_findings_only(const AnnotatedSegment& s);
/// Whether the options leave the segment out of the walkthrough (--findings-only).
[[nodiscard]] inline bool left_out(const RenderOptions& o, const AnnotatedSegment& s) {
    return o.findings_only && !shown_when_findings_only(s);
}

/// Per finding code: how many findings, in how many connections, and the first connections
/// that have it. Memory is bounded: kListedConnections ids per code, whatever the capture's
/// size; the counts stay exact.
class FindingsTally {
public:
    static constexpr std::size_t kListedConnections = 100;

    struct Entry {
        std::uint64_t findings = 0;
        std::uint64_t connections = 0;          ///< connections with at least one
        std::vector<ConversationId> first_ids;  ///< the first kListedConnections of them, in order
    };

    /// Adds a finalised connection's findings.
    void add(const ConversationSummary& s);
    [[nodiscard]] const Entry& entry(AnnotationCode code) const { return entries_[static_cast<std::size_t>(code)]; }
    [[nodiscard]] bool empty() const;

private:
    std::array<Entry, kAnnotationCodeCount> entries_{};
};

}  // namespace tfx::render
