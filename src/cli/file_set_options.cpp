#include "cli/file_set_options.hpp"

#include "cli/help_language.hpp"
#include "cli/option_values.hpp"
#include "i18n/catalogue.hpp"
#include "ingest/file_list.hpp"

namespace tfx::cli {

void add_file_set_options(CLI::App& app, FileSetOptions& o, Language lang) {
    o.read = app.add_option("-r,--read", o.read_paths, described(lang, i18n::Msg::HelpRead));
    // One file per -r: the words after it are the filter, as after tcpdump's -r.
    o.read->allow_extra_args(false)->check(file_name(lang));
    o.list =
        app.add_option("--file-list", o.file_list, described(lang, i18n::Msg::HelpFileList))->check(file_name(lang));
    app.add_flag("--keep-going", o.keep_going, described(lang, i18n::Msg::HelpKeepGoing));
}

Result<std::vector<std::string>> files_named(const FileSetOptions& o) {
    std::vector<std::string> files = o.read_paths;
    if (o.file_list.empty()) return files;
    auto listed = ingest::read_file_list(o.file_list);
    if (!listed) return listed.error();
    files.insert(files.end(), listed->begin(), listed->end());
    return files;
}

std::string use_files(const std::vector<std::string>& files, const FileSetOptions& o, Language lang,
                      run::InputSpec& input) {
    if (files.size() >= 2) {
        if (const auto problem = ingest::file_set_problem(files)) return problem->text(lang);
        input.files = files;
        input.keep_going = o.keep_going;
    } else if (!files.empty()) {
        input.path = files.front();
    } else if (!o.file_list.empty()) {
        return i18n::said(lang, i18n::Msg::FileListEmpty, {o.file_list});
    }
    return {};
}

}  // namespace tfx::cli
