// Command line of `check`: options, validation of every expectation before any capture is
// read, the capture run, evaluation and the reports.

#include "cli/check_command.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "check/collector.hpp"
#include "check/evaluate.hpp"
#include "check/live_command.hpp"
#include "check/report.hpp"
#include "check/rules.hpp"
#include "check/selector.hpp"
#include "cli/file_set_options.hpp"
#include "cli/help_language.hpp"
#include "cli/language_option.hpp"
#include "cli/parse_error_text.hpp"
#include "cli/option_ranges.hpp"
#include "cli/option_values.hpp"
#include "i18n/catalogue.hpp"
#include "ingest/output_file.hpp"
#include "render/signal_name.hpp"
#include "run/capture_runner.hpp"
#include "run/error_line.hpp"
#include "stream/connection_streams.hpp"
#include "text/quoted.hpp"

namespace tfx::cli {

// The command line of `check` over the check engine (src/check).
using namespace tfx::check;

namespace {

constexpr const char* kProg = "tcpflow-explain check";

using i18n::Msg;

// "tcpflow-explain check: error: ..." (or a note), one line in `lang`.
void complain(Language lang, Msg kind, const std::string& msg) { run::complain(lang, kind, kProg, msg); }

int error(Language lang, const std::string& msg) {
    complain(lang, Msg::ErrorLine, msg);
    return check_status::kError;
}

/// CLI11's parse error in the words of the other errors: lower case, the offending arguments
/// quoted, and where to read more on the same line (one line per error, one prefix). Other
/// languages than English say the rest of CLI11's errors through the main command's translation.
std::string check_parse_error_text(const CLI::ParseError& e, const CLI::App& app, Language lang) {
    std::string what = e.what();
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::ExtrasError)) {
        // "The following argument(s) was/were not expected: b a", last argument first.
        const auto colon = what.find(": ");
        std::vector<std::string> extras;
        if (colon != std::string::npos) {
            std::size_t i = colon + 2;
            while (i < what.size()) {
                const auto end = std::min(what.find(' ', i), what.size());
                if (end > i) extras.push_back(what.substr(i, end - i));
                i = end + 1;
            }
        }
        std::reverse(extras.begin(), extras.end());
        const bool options =
            std::all_of(extras.begin(), extras.end(), [](const std::string& a) { return a[0] == '-'; });
        const bool one = extras.size() == 1;
        what = i18n::word(lang, options ? (one ? Msg::UnknownOption : Msg::UnknownOptions)
                                        : (one ? Msg::UnexpectedArgument : Msg::UnexpectedArguments));
        for (const auto& a : extras) what += " " + text::quoted(a);
    } else {
        what = parse_error_text(e, app, lang);
        if (lang == Language::En && what.size() > 1 && std::isupper(static_cast<unsigned char>(what[0])) != 0 &&
            std::islower(static_cast<unsigned char>(what[1])) != 0)
            what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    }
    return what + i18n::said(lang, Msg::SeeHelp, {kProg});
}

std::string join_words(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
}

std::string list_fields(Language lang) {
    std::string out = i18n::said(lang, Msg::FieldsHeader) + "\n";
    for (const auto& f : fields()) {
        const std::string_view type =
            f.kind == ValueKind::FlagSequence ? i18n::word(lang, Msg::FieldsSequenceType) : kind_name(f.kind, lang);
        std::string line = fmt::format("  {:<26} {:<22} {}", f.name, type, field_help(f, lang));
        if (!f.enum_values.empty()) line += " [" + join_words(f.enum_values) + "]";
        out += line + "\n";
    }
    out += i18n::said(lang, Msg::FieldsOperators) + "\n" + i18n::said(lang, Msg::FieldsUnits) + "\n";
    return out;
}

// Writes all of `text` to `fd` and closes it; false when any of it could not be written.
bool write_and_close(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    return ::close(fd) == 0 && done == text.size();
}

// The user the live form's command runs as under sudo when -Z is not given: sudo's caller,
// not root. Empty when not root, not under sudo, or sudo was run by root itself.
std::string sudo_caller() {
    if (::geteuid() != 0) return {};
    const char* user = std::getenv("SUDO_USER");
    if (user == nullptr || *user == '\0' || std::string_view(user) == "root") return {};
    return user;
}

}  // namespace

int run_check(int argc, char** argv) {
    // Everything after a lone "--" is the command of the live form, untouched by CLI11.
    std::vector<std::string> command;
    int cli_argc = argc;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--") {
            cli_argc = i;
            for (int k = i + 1; k < argc; ++k) command.emplace_back(argv[k]);
            break;
        }
    }
    const bool has_separator = cli_argc != argc;
    // The language of --help and of the errors met while parsing, --lang not read yet.
    const Language parsing_language = language_before_parsing(cli_argc, argv);

    CLI::App app{described(parsing_language, Msg::HelpCheckAbout), kProg};
    speak_help_in(app, parsing_language);
    app.get_formatter()->column_width(30);
    std::vector<std::string> positionals;
    std::string iface;
    std::vector<std::string> expects;
    std::vector<std::string> rules_files;
    std::string select_text;
    bool q_all = false, q_any = false;
    std::uint32_t q_count = 0;
    std::string junit_path;
    std::string write_path;
    std::string format = "text";
    int grace_ms = 500;
    std::string user;
    bool show_fields = false;
    std::string lang = "en";

    app.add_option("capture", positionals, described(parsing_language, Msg::HelpCheckCapture))
        ->type_name("FILE [FILTER]");
    FileSetOptions file_set;
    add_file_set_options(app, file_set, parsing_language);
    app.add_option("-i,--interface", iface, described(parsing_language, Msg::HelpCheckInterface))
        ->type_name("IFACE")
        ->excludes(file_set.read)
        ->excludes(file_set.list);
    // One value per occurrence: `--expect X cap.pcap` must leave cap.pcap positional.
    app.add_option("-e,--expect", expects, described(parsing_language, Msg::HelpCheckExpect))
        ->type_name("EXPR")
        ->allow_extra_args(false);
    app.add_option("--rules", rules_files, described(parsing_language, Msg::HelpCheckRules))
        ->type_name("FILE")
        ->allow_extra_args(false)
        ->check(file_name(parsing_language));
    app.add_option("--select", select_text, described(parsing_language, Msg::HelpCheckSelect))->type_name("SELECTOR");
    auto* all_opt = app.add_flag("--all", q_all, described(parsing_language, Msg::HelpCheckAll));
    auto* any_opt = app.add_flag("--any", q_any, described(parsing_language, Msg::HelpCheckAny));
    auto* count_opt = app.add_option("--count", q_count, described(parsing_language, Msg::HelpCheckCount))
                          ->check(whole_number_between(0, 1'000'000'000, parsing_language))
                          ->type_name("N");
    all_opt->excludes(any_opt)->excludes(count_opt);
    any_opt->excludes(count_opt);
    app.add_option("--junit", junit_path, described(parsing_language, Msg::HelpCheckJunit))
        ->type_name("FILE")
        ->check(file_name(parsing_language));
    app.add_option("-w,--write", write_path, described(parsing_language, Msg::HelpCheckWrite))
        ->type_name("FILE")
        ->check(file_name(parsing_language));
    app.add_option("--format", format, described(parsing_language, Msg::HelpCheckFormat))
        ->check(CLI::IsMember({"text", "json"}))
        ->type_name("FMT");
    app.add_option("--grace", grace_ms, described(parsing_language, Msg::HelpCheckGrace))
        ->check(integer_between(0, 600000, parsing_language))
        ->type_name("MS");
    app.add_option("-Z,--user", user, described(parsing_language, Msg::HelpCheckUser))->type_name("USER");
    app.add_flag("--list-fields", show_fields, described(parsing_language, Msg::HelpCheckListFields));
    add_language_option(app, lang, parsing_language);
    // The help ends with an empty line.
    app.footer(described(parsing_language, Msg::HelpCheckFooter) + "\n");

    refuse_flag_values(app);
    try {
        app.parse(cli_argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return error(parsing_language, check_parse_error_text(e, app, parsing_language));
    }
    const Language language = language_or_english(lang);
    if (const std::string problem = language_problem(lang); !problem.empty())
        return error(language, problem + i18n::said(language, Msg::SeeHelp, {kProg}));
    const auto said = [language](Msg id, std::initializer_list<i18n::Arg> args = {}) {
        return i18n::said(language, id, args);
    };
    if (show_fields) {
        std::fputs(list_fields(language).c_str(), stdout);
        return check_status::kPassed;
    }

    // Inputs.
    const bool live = !iface.empty();
    run::InputSpec input;
    input.language = language;
    const auto named = files_named(file_set);
    if (!named) return error(language, named.error().text(language));
    if (const std::string problem = use_files(named.value(), file_set, language, input); !problem.empty())
        return error(language, problem);
    std::string& path = input.path;
    std::string filter;
    if (live || !named->empty()) {
        filter = join_words(positionals);
    } else {
        if (positionals.empty()) return error(language, said(Msg::CheckNoCapture));
        path = positionals.front();
        filter = join_words(std::vector<std::string>(positionals.begin() + 1, positionals.end()));
    }
    if (has_separator && !live) return error(language, said(Msg::CheckCommandWithoutLive));
    if (has_separator && command.empty()) return error(language, said(Msg::CheckNoCommand));
    if (expects.empty() && rules_files.empty()) return error(language, said(Msg::CheckNothingToCheck));

    // Every expectation, selector and rules file is validated before any packet is read.
    Quantifier quant;
    if (q_any) quant = Quantifier{QuantifierKind::Any, 0};
    if (count_opt->count() > 0) quant = Quantifier{QuantifierKind::Exactly, q_count};
    auto sel = Selector::parse(select_text, language);
    if (auto* e = std::get_if<SourceError>(&sel))
        return error(language, format_source_error("--select", select_text, *e, language));
    const Selector cli_select = std::get<Selector>(sel);

    std::vector<Check> checks;
    for (const auto& text : expects) {
        auto parsed = parse_expectation(text, language);
        if (auto* e = std::get_if<SourceError>(&parsed))
            return error(language, format_source_error("--expect", text, *e, language));
        Check c;
        c.expect = std::get<Expectation>(std::move(parsed));
        c.name = c.expect.text;
        c.select = cli_select;
        c.quantifier = quant;
        c.origin = "--expect";
        checks.push_back(std::move(c));
    }
    std::string rules_filter;
    for (const auto& file : rules_files) {
        auto rules = load_rules(file, RuleDefaults{cli_select, quant}, language);
        if (!rules) return error(language, rules.error().text(language));
        if (!rules->filter.empty()) {
            if (!rules_filter.empty() && rules_filter != rules->filter)
                return error(language, said(Msg::CheckRulesDisagree, {rules_filter, rules->filter}));
            rules_filter = rules->filter;
        }
        for (auto& c : rules->checks) checks.push_back(std::move(c));
    }
    if (filter.empty()) filter = rules_filter;

    // Capture.
    Collector collector([&checks](const ConversationSummary& s) {
        for (const auto& c : checks)
            if (c.select.matches(s)) return true;
        return false;
    });
    collector.set_language(language);
    input.interface = iface;
    input.filter = filter;
    input.drop_to_user = user;
    input.write_path = write_path;
    if (user.empty() && live && !command.empty()) {
        input.drop_to_user = sudo_caller();
        if (!input.drop_to_user.empty())
            complain(language, Msg::NoteLine, said(Msg::CheckCommandRunsAs, {input.drop_to_user}));
    }
    // Opened before any packet is read or the command runs, as the -Z user, so that a bad
    // path fails now and not after the test; written at the end. The -w file is opened at the
    // same point by the runner, and closed by it once the capture ends.
    int junit_fd = -1;
    if (!junit_path.empty()) {
        input.open_outputs = [&](std::span<const ingest::FileIdentity> read) -> std::optional<Error> {
            auto fd = ingest::open_output_file(junit_path, "--junit", read);
            if (!fd) return fd.error();
            junit_fd = fd.value();
            return std::nullopt;
        };
    }
    // The verdicts are the same either way (run_capture ignores it for live captures).
    input.ingest_thread = run::ingest_thread_pays();
    // Verdicts come from flags, numbers and findings; from the bytes when a field reads the
    // rebuilt streams or a direction's first bytes (content hints).
    const bool rebuild_streams = reads_streams(checks);
    const bool content_asked = reads_content(checks);
    input.payload_needed = rebuild_streams || content_asked;
    Options options;
    options.content_hints = content_asked;
    stream::DiscardedStreams discarded_streams;
    std::optional<stream::ConnectionStreams> streams;
    if (rebuild_streams)
        streams.emplace(collector, discarded_streams, stream::StreamLimits{}, stream::StreamBudget::kDefaultLimit,
                        stream::StreamFacts::Attached);
    std::unique_ptr<LiveCommand> cmd;
    // For a file too: an interrupted read then gives a report that says so (and 130/143).
    run::install_stop_handlers();
    if (live) {
        if (!command.empty()) {
            cmd = std::make_unique<LiveCommand>(command, std::chrono::milliseconds(grace_ms));
            input.on_capturing = [&cmd] { cmd->start(); };
        }
    }
    run::clear_stop();  // a previous in-process run may have stopped
    auto result = run::run_capture(input, options, streams ? static_cast<EventSink&>(*streams) : collector);
    if (cmd) cmd->finish();
    if (!result) {
        if (junit_fd >= 0) ::close(junit_fd);
        return error(language, result.error().text(language));
    }

    RunInfo info;
    // Several files: those read (a warning names the ones skipped).
    std::vector<std::string> files_read;
    for (const auto& f : input.files)
        if (std::none_of(result->skipped_files.begin(), result->skipped_files.end(),
                         [&f](const CaptureInfo::SkippedFile& skipped) { return skipped.path == f; }))
            files_read.push_back(f);
    info.source = live                 ? "interface " + iface
                  : files_read.empty() ? (path == "-" ? std::string("stdin") : path)
                                       : join_words(files_read);
    info.filter = filter;
    info.live = live;
    // The session's summary (capture_finished) has the counts; the runner's has the frames.
    info.capture = collector.summary().value_or(result.value());
    info.capture->frames = result->frames;
    info.capture->truncated = result->truncated;
    info.capture->truncation_message = result->truncation_message;
    info.connections_seen = collector.connections_seen();
    if (cmd) {
        info.command = cmd->status();
        if (!info.command->started) return error(language, said(Msg::CheckCannotRun, {info.command->error}));
    }
    for (const auto& skipped : result->skipped_files)
        info.warnings.push_back(said(Msg::SkippedFile, {skipped.path, skipped.reason.text(language)}));
    if (result->truncated) info.warnings.push_back(said(Msg::CheckTruncatedWarning, {result->truncation_message}));
    if (const auto& i = result->interrupted) {
        info.capture->interrupted = i;
        info.warnings.push_back(said(Msg::CheckInterruptedWarning, {render::signal_name(i->signal), i->after_frame}));
    }
    if (info.capture->kernel_dropped && *info.capture->kernel_dropped > 0)
        info.warnings.push_back(said(Msg::CheckKernelDropped, {*info.capture->kernel_dropped}));
    if (info.capture->evicted > 0) info.warnings.push_back(said(Msg::CheckEvicted, {info.capture->evicted}));

    // Evaluate and report.
    const auto facts = collector.take();
    std::vector<CheckOutcome> outcomes;
    bool all_passed = true;
    for (const auto& c : checks) {
        outcomes.push_back(evaluate(c, facts));
        all_passed = all_passed && outcomes.back().passed;
    }
    const ReportInput report{info, checks, outcomes, facts, language};
    const std::string text = format == "json" ? json_report(report) : text_report(report);
    std::fwrite(text.data(), 1, text.size(), stdout);
    // A report nobody can read is no pass: a failed write is an error, whatever the verdicts.
    const bool written = std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
    if (junit_fd >= 0 && !write_and_close(junit_fd, junit_report(report)))
        return error(language, said(Msg::CheckCannotWriteJunit, {junit_path, std::strerror(errno)}));
    if (!written) return error(language, said(Msg::CheckCannotWriteReport));
    if (const auto& i = result->interrupted) return run::exit_code::interrupted(i->signal);
    return all_passed ? check_status::kPassed : check_status::kFailed;
}

}  // namespace tfx::cli
