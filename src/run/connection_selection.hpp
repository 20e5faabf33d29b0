#pragma once
// The command line's `--conn N,M`: only those connections reach the output. The analysis
// runs on every frame (connection and frame numbers stay those of the whole capture); this
// sink, in front of the output, passes on the events of the chosen connections only, and
// marks the capture summary with the selection and the numbers no connection had.

#include <vector>

#include "tfx/forwarding_sink.hpp"

namespace tfx::run {

class ConnectionSelection final : public ForwardingSink {
public:
    /// `shown`: sorted and distinct (check::parse_connection_numbers).
    ConnectionSelection(EventSink& next, std::vector<ConversationId> shown);

    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    void conversation_closed(const ConversationSummary& summary) override;
    void capture_finished(const CaptureSummary& summary) override;

    /// After capture_finished(): the numbers asked for that no connection of the capture had.
    [[nodiscard]] const std::vector<ConversationId>& missing() const { return missing_; }

private:
    // Whether connection `id` is shown; marks it seen when it is.
    [[nodiscard]] bool shows(ConversationId id);

    std::vector<ConversationId> shown_;
    std::vector<bool> seen_;  // parallel to shown_
    std::vector<ConversationId> missing_;
};

}  // namespace tfx::run
