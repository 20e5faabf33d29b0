#include "render/text_format.hpp"

#include "i18n/catalogue.hpp"
#include "tfx/conversation.hpp"

namespace tfx::render {

namespace {

constexpr std::size_t kFlagCombinations = 1u << 9;  // FIN .. AE

struct FlagNames {
    std::array<std::string, kFlagCombinations> words;
    std::array<std::string, kFlagCombinations> tcpdump;
    FlagNames() {
        for (std::size_t f = 0; f < kFlagCombinations; ++f) {
            words[f] = flags_to_words(static_cast<std::uint16_t>(f));
            tcpdump[f] = flags_to_tcpdump(static_cast<std::uint16_t>(f));
        }
    }
};

const FlagNames& flag_names() {
    static const FlagNames names;
    return names;
}

}  // namespace

// Bits above AE (reserved) are named by neither function, so masking them changes nothing.
std::string_view flags_words(std::uint16_t flags) { return flag_names().words[flags & (kFlagCombinations - 1)]; }

std::string_view flags_short(std::uint16_t flags) { return flag_names().tcpdump[flags & (kFlagCombinations - 1)]; }

void append_state_chain(fmt::memory_buffer& out, std::span<const StateChange> changes, Language lang) {
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const auto& c = changes[i];
        const bool continues = i > 0 && changes[i - 1].endpoint == c.endpoint && changes[i - 1].to == c.from;
        if (continues) {
            append(out, FMT_COMPILE(" -> {}"), to_string(c.to));
            continue;
        }
        if (i > 0) append(out, ", ");
        append(out, FMT_COMPILE("{} {} -> {}"), i18n::role_word(lang, c.endpoint), to_string(c.from), to_string(c.to));
    }
}

bool shown_beside_segment(const Annotation& a, const AnnotatedSegment& s) {
    if (a.code == AnnotationCode::IsnInferred) return false;
    // A repeated SYN the analysis also found to be a retransmission is said once, by the
    // retransmission line, which has the delay (JSON keeps both codes, as tshark sets both).
    if (a.code == AnnotationCode::SynRetransmission)
        return !(s.has(AnnotationCode::Retransmission) || s.has(AnnotationCode::FastRetransmission) ||
                 s.has(AnnotationCode::SpuriousRetransmission));
    return true;
}

void append_phase_step(fmt::memory_buffer& out, std::string_view phase_word, const AnnotatedSegment& s) {
    append(out, phase_word);
    out.push_back(' ');
    append_int(out, s.step);
    if (s.steps == 0) return;
    out.push_back('/');
    append_int(out, s.steps);
}

}  // namespace tfx::render
