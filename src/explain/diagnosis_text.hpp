#pragma once
// The diagnosis sentence of a connection (the facts: src/analysis/diagnosis.hpp), e.g.
// "receiver-limited: the server advertised a zero window 4 times; its application was not
// reading for 1.503135 s (2 spells); network RTT 22.445 ms (handshake)".

#include <fmt/format.h>

#include <string>

#include "analysis/diagnosis.hpp"
#include "tfx/conversation.hpp"
#include "tfx/language.hpp"
#include "tfx/types.hpp"

namespace tfx::explain {

/// The sentence, without a final period.
void append_diagnosis(fmt::memory_buffer& out, const analysis::Diagnosis& d, Language lang = Language::En);
[[nodiscard]] std::string diagnosis_text(const analysis::Diagnosis& d, Language lang = Language::En);

/// The text walkthrough's line for a finished connection: "  diagnosis: <sentence>.\n".
void append_diagnosis_line(fmt::memory_buffer& out, const ConversationSummary& s, Language lang = Language::En);

/// A duration exactly: milliseconds below a second, else seconds, with every significant
/// digit down to the nanosecond and at least three decimals ("27.140 ms", "1.503135 s";
/// "1,503135 s" in French).
void append_exact_duration(fmt::memory_buffer& out, Duration d, Language lang = Language::En);

}  // namespace tfx::explain
