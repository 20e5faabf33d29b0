#pragma once
// Counts over a connection's findings that more than one summary format prints.

#include <cstdint>

#include "tfx/conversation.hpp"

namespace tfx::render {

/// Every kind of resend: timeout, fast and spurious retransmissions.
[[nodiscard]] inline std::uint32_t retransmissions(const ConversationSummary& s) {
    return s.count(AnnotationCode::Retransmission) + s.count(AnnotationCode::FastRetransmission) +
           s.count(AnnotationCode::SpuriousRetransmission);
}

}  // namespace tfx::render
