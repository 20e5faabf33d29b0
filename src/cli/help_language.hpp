#pragma once
// --help in the language of the sentences: the descriptions come from the catalogue, and
// CLI11's own words (Usage, Options, Excludes, the value types TEXT, INT, ...) are its labels,
// set from the catalogue too. The language is the one language_before_parsing() finds, since
// the help is written while parsing.

#include <string>
#include <string_view>

#include "i18n/messages.hpp"
#include "tfx/language.hpp"

namespace CLI {
class App;
}

namespace tfx::cli {

/// Makes `app`'s help speak `lang`: CLI11's words, the options' group and -h,--help's
/// description. Call it before adding any option: an option takes its group when added.
void speak_help_in(CLI::App& app, Language lang);

/// The description of an option, a command or a help paragraph (a message without parameters).
[[nodiscard]] std::string described(Language lang, i18n::Msg id);

/// CLI11's name of a value's type ("TEXT", "UINT") as the help writes it in `lang`: the parse
/// errors that name it say the same word.
[[nodiscard]] std::string value_type_word(Language lang, std::string_view type);

}  // namespace tfx::cli
