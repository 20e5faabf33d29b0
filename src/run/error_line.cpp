#include "run/error_line.hpp"

#include <cstdio>
#include <string>

#include "i18n/catalogue.hpp"
#include "text/terminal_text.hpp"

namespace tfx::run {

void complain(Language lang, i18n::Msg kind, std::string_view program, std::string_view problem) {
    const std::string line = i18n::said(lang, kind, {program, text::printable(problem, text::Newlines::Keep)});
    std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace tfx::run
