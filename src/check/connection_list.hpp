#pragma once
// Connection numbers as the user writes them, one syntax for the walkthrough's `--conn N,M`
// and `check --select 'id N,M'`: numbers as the walkthrough numbers connections (from 1, in
// the order of their first frame in the whole capture), separated by commas.

#include <string_view>
#include <vector>

#include "check/expectation.hpp"
#include "tfx/language.hpp"
#include "tfx/types.hpp"

namespace tfx::check {

/// "3", "3,7", "7,3,3": the numbers, sorted and distinct. An error (its position in `text`)
/// for an empty list or item, a number that is not a whole number from 1 up, or one too large,
/// worded in `lang`.
[[nodiscard]] Parsed<std::vector<ConversationId>> parse_connection_numbers(std::string_view text,
                                                                           Language lang = Language::En);

}  // namespace tfx::check
