#include "ingest/file_list.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "i18n/messages.hpp"
#include "text/quoted.hpp"

namespace tfx::ingest {

Result<std::vector<std::string>> read_file_list(const std::string& list) {
    std::ifstream file;
    if (list != "-") {
        file.open(list);
        if (!file)
            return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {text::quoted(list), std::strerror(errno)}};
    }
    std::istream& in = list == "-" ? std::cin : file;
    std::vector<std::string> paths;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line == "-") return Error{ErrorKind::Usage, i18n::Msg::ErrFileListStdin, {text::quoted(list)}};
        paths.push_back(line);
    }
    if (in.bad()) return Error{ErrorKind::Io, i18n::Msg::ErrCannotReadPlain, {text::quoted(list)}};
    return paths;
}

std::optional<Error> file_set_problem(const std::vector<std::string>& paths) {
    for (const auto& p : paths)
        if (p == "-") return Error{ErrorKind::Usage, i18n::Msg::FileSetStandardInput};
    return std::nullopt;
}

}  // namespace tfx::ingest
