#pragma once
// CLI11's parse errors in the user's language. CLI11 writes its errors in English and keeps
// no more than the text; each exception type builds that text from its data in one fixed
// shape, so the data is read back from the shape of the type thrown and said again from
// the catalogue. A shape not recognised stays as CLI11 wrote it.

#include <string>

#include "tfx/language.hpp"

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace tfx::cli {

/// The problem `e` (thrown by `app.parse`) describes, in `lang`: CLI11's own text in
/// English, the catalogue's words otherwise.
[[nodiscard]] std::string parse_error_text(const CLI::ParseError& e, const CLI::App& app, Language lang);

}  // namespace tfx::cli
