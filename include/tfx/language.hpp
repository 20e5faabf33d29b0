#pragma once
// The language of the sentences a person reads (the text walkthrough, the JSON `explanation`
// and `text` strings). Identifiers (JSON keys, finding codes, state names) never change.

#include <cstdint>

namespace tfx {

enum class Language : std::uint8_t { En, Fr };

}  // namespace tfx
