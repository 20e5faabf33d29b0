#pragma once
// The event side of the ladder renderers: collects each connection's ladder model while its
// segments pass (connections interleave in the event stream) and hands the finished model
// over when the connection closes. The renderers only draw.

#include <map>

#include "render/pictures/ladder_model.hpp"
#include "tfx/session.hpp"

namespace tfx::render {

class LadderSink : public EventSink {
public:
    /// `absolute`: label with raw sequence numbers (-S); notes in `lang`.
    explicit LadderSink(bool absolute, Language lang = Language::En) : absolute_(absolute), lang_(lang) {}

    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    void conversation_closed(const ConversationSummary& summary) override;

protected:
    /// One finished connection, in the order connections close.
    virtual void draw(const LadderModel& model, const ConversationSummary& summary) = 0;
    /// Whether connection `id` is drawn at all: a connection not drawn costs no model, and
    /// left_out() is told when it closes.
    [[nodiscard]] virtual bool draws(ConversationId /*id*/) const { return true; }
    virtual void left_out(const ConversationSummary& /*summary*/) {}

private:
    std::map<ConversationId, LadderBuilder> open_;
    bool absolute_;
    Language lang_;
};

}  // namespace tfx::render
