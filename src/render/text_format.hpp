#pragma once
// Small formatting helpers shared by the renderers, written for the per-segment hot path:
// they append into the output buffer with no heap allocation, and print exactly what the
// slower general functions print (Endpoint::to_string, flags_to_words, fmt's "{:.Nf}").

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <span>
#include <type_traits>

#include "text/address.hpp"
#include "text/append.hpp"
#include "tfx/annotation.hpp"
#include "tfx/language.hpp"
#include "tfx/segment.hpp"
#include "tfx/types.hpp"

namespace tfx::render {

/// An endpoint's text ("10.0.0.1:80", "[2001:db8::1]:443") in a fixed buffer, without
/// allocating (text::write_endpoint does the formatting, for every address family).
class EndpointText {
public:
    explicit EndpointText(const Endpoint& e)
        : size_(static_cast<std::size_t>(text::write_endpoint(data_.data(), e) - data_.data())) {}
    [[nodiscard]] std::string_view view() const { return {data_.data(), size_}; }

private:
    std::array<char, text::kEndpointRoom> data_{};
    std::size_t size_;
};

/// flags_to_words() and flags_to_tcpdump() computed once per flag combination (9 bits),
/// then returned by reference: interned strings for the per-segment path.
std::string_view flags_words(std::uint16_t flags);
std::string_view flags_short(std::uint16_t flags);

/// A segment's state changes as one chain per endpoint, the way the walkthroughs print them:
/// "server ESTABLISHED -> CLOSE-WAIT -> LAST-ACK, client FIN-WAIT-1 -> FIN-WAIT-2".
/// The endpoints are named in `lang`; the states keep their RFC 9293 names in every language.
void append_state_chain(fmt::memory_buffer& out, std::span<const StateChange> changes, Language lang = Language::En);

/// A handshake or teardown segment's place in it: "handshake 2/3", "teardown 3/4". The first FIN
/// has no total ("teardown 1"): whether the close takes 3 segments or 4 depends on the answer.
void append_phase_step(fmt::memory_buffer& out, std::string_view phase_word, const AnnotatedSegment& s);

/// Whether a finding is printed under its segment: not when another line says it already (the
/// inferred ISN by the segment's sentence; a SYN retransmission by the retransmission line).
[[nodiscard]] bool shown_beside_segment(const Annotation& a, const AnnotatedSegment& s);

// The generic appenders live in src/text (the explanations use them too).
using text::Align;
using text::append;
using text::append_bytes;
using text::append_fixed;
using text::append_int;
using text::append_padded;
using text::append_uint;
using text::commit_tail;
using text::copy_bytes;
using text::reserve_tail;

}  // namespace tfx::render
