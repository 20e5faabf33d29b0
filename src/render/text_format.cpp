#include "render/text_format.hpp"

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

}  // namespace tfx::render
