#include "cli/walkthrough.hpp"

#include <langinfo.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <clocale>
#include <limits>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "check/connection_list.hpp"
#include "cli/file_set_options.hpp"
#include "cli/help_language.hpp"
#include "cli/language_option.hpp"
#include "cli/option_ranges.hpp"
#include "cli/option_values.hpp"
#include "cli/parse_error_text.hpp"
#include "cli/version_text.hpp"
#include "i18n/catalogue.hpp"
#include "flow/shard.hpp"
#include "render/pending_bytes.hpp"
#include "render/signal_name.hpp"
#include "run/capture_runner.hpp"
#include "run/connection_selection.hpp"
#include "run/cpu_placement.hpp"
#include "run/error_line.hpp"
#include "text/terminal_text.hpp"
#include "run/render_thread.hpp"
#include "run/stream_directory.hpp"
#include "step/step.hpp"
#include "stream/connection_streams.hpp"
#include "stream/follow_printer.hpp"
#include "tfx/render.hpp"

namespace tfx::cli {

using i18n::Msg;

namespace {

bool want_color(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    if (std::getenv("NO_COLOR")) return false;
    return text::terminal_draws(fileno(stdout));
}

// Whether the user's locale writes UTF-8 (the terminal ladder's box drawing needs it). The
// locale is consulted here and set back to "C" at once: every output stays locale-free.
bool utf8_locale() {
    if (std::setlocale(LC_CTYPE, "") == nullptr) return false;
    const bool utf8 = std::string_view(nl_langinfo(CODESET)) == "UTF-8";
    std::setlocale(LC_CTYPE, "C");
    return utf8;
}

std::string join(const std::vector<std::string>& words, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < words.size(); ++i) {
        if (!out.empty()) out += ' ';
        out += words[i];
    }
    return out;
}

// The options hidden from --help are checked after parsing, not by CLI11, whose messages
// leave a hidden option's name out. Empty when `value` is one of `allowed`.
std::string hidden_choice_problem(std::string_view name, const std::string& value,
                                  std::initializer_list<std::string_view> allowed) {
    std::string listed;
    for (const std::string_view a : allowed) {
        if (value == a) return {};
        if (!listed.empty()) listed += ',';
        listed += a;
    }
    return fmt::format("{}: {} not in {{{}}}", name, value, listed);
}

// The walkthrough's place when --follow prints the conversation instead.
class Discard : public EventSink {
public:
    void segment(const AnnotatedSegment& /*seg*/) override {}
    [[nodiscard]] bool wants_segments() const override { return false; }
    void conversation_closed(const ConversationSummary& /*summary*/) override {}
};

// --findings-only, --no-findings-tally, --time-format and its time zone: the options for
// reading a big capture.
struct BigCaptureOptions {
    bool findings_only = false;
    bool no_tally = false;
    std::string time_format = "connection";
    bool utc = false;
    bool localtime = false;
};

void add_big_capture_options(CLI::App& app, BigCaptureOptions& o, Language lang) {
    app.add_flag("--findings-only,--brief", o.findings_only, described(lang, Msg::HelpFindingsOnly));
    app.add_flag("--no-findings-tally", o.no_tally, described(lang, Msg::HelpNoFindingsTally));
    app.add_option("--time-format", o.time_format, described(lang, Msg::HelpTimeFormat))
        ->check(CLI::IsMember({"connection", "relative", "delta", "wall", "epoch"}));
    auto* utc = app.add_flag("--utc", o.utc, described(lang, Msg::HelpUtc));
    app.add_flag("--localtime", o.localtime, described(lang, Msg::HelpLocaltime))->excludes(utc);
}

// Empty when the options fit the output chosen.
std::string big_capture_problem(const BigCaptureOptions& o, const std::string& format, bool summary, Language lang) {
    const bool walkthrough_format = format == "text" || format == "json" || format == "jsonl";
    if ((o.findings_only || o.no_tally) && (!walkthrough_format || (format == "text" && summary)))
        return i18n::said(lang, i18n::Msg::BigCaptureNeedsWalkthrough);
    if (o.time_format != "connection" && (format != "text" || summary))
        return i18n::said(lang, i18n::Msg::TimeFormatNeedsText);
    if ((o.utc || o.localtime) && o.time_format != "wall") return i18n::said(lang, i18n::Msg::UtcNeedsWall);
    return {};
}

void apply_big_capture_options(const BigCaptureOptions& o, RenderOptions& ro) {
    ro.findings_only = o.findings_only;
    ro.findings_tally = !o.no_tally;
    ro.time_format = o.time_format == "relative" ? TimeFormat::Relative
                     : o.time_format == "delta"  ? TimeFormat::Delta
                     : o.time_format == "wall"   ? TimeFormat::Wall
                     : o.time_format == "epoch"  ? TimeFormat::Epoch
                                                 : TimeFormat::Connection;
    ro.localtime = o.localtime;
}

constexpr const char* kProg = "tcpflow-explain";

// "tcpflow-explain: error: ..." (or warning), one line in `lang`.
void complain(Language lang, i18n::Msg kind, const std::string& problem) { run::complain(lang, kind, kProg, problem); }

int usage_error(Language lang, const std::string& problem) {
    complain(lang, i18n::Msg::ErrorLine, problem);
    std::fprintf(stderr, "%s\n", i18n::said(lang, i18n::Msg::UsageHint, {kProg}).c_str());
    return run::exit_code::kUsage;
}

}  // namespace

int run_walkthrough(int argc, char** argv) {
    // The language of --help and of the errors met while parsing, --lang not read yet.
    const Language parsing_language = language_before_parsing(argc, argv);
    CLI::App app{described(parsing_language, Msg::HelpWalkthroughAbout), kProg};
    speak_help_in(app, parsing_language);
    app.footer(described(parsing_language, Msg::HelpSubcommands) + "\n\n" +
               described(parsing_language, Msg::HelpExitStatus));
    app.set_version_flag("--version", version_text(), described(parsing_language, Msg::HelpVersionFlag));
    std::vector<std::string> positionals;
    run::InputSpec input;
    std::string format = "text";
    std::string color = "auto";
    bool summary = false, ascii = false, hex = false, absolute_seq = false, strict = false;
    double idle_s = 300, handshake_s = 120, linger_s = 5;
    std::size_t max_connections = 1'000'000;
    std::uint64_t count = 0;

    app.add_option("capture-and-filter", positionals, described(parsing_language, Msg::HelpCaptureAndFilter));
    FileSetOptions file_set;
    add_file_set_options(app, file_set, parsing_language);
    std::string shard_text;
    app.add_option("--shard", shard_text, described(parsing_language, Msg::HelpShard));
    bool no_name_resolution = false;
    app.add_flag("-n", no_name_resolution, described(parsing_language, Msg::HelpNoNameResolution));
    std::vector<std::string> conn_lists;
    auto* conn_option =
        app.add_option("--conn", conn_lists, described(parsing_language, Msg::HelpConn))->allow_extra_args(false);
    app.add_option("-i,--interface", input.interface, described(parsing_language, Msg::HelpInterface))
        ->excludes(file_set.read)
        ->excludes(file_set.list);
    app.add_option("-c,--count", count, described(parsing_language, Msg::HelpCount))
        ->check(whole_number_between(1, std::numeric_limits<std::uint64_t>::max(), parsing_language));
    app.add_option("-w,--write", input.write_path, described(parsing_language, Msg::HelpWrite))
        ->check(file_name(parsing_language));
    std::string write_streams;
    auto* write_streams_option =
        app.add_option("--write-streams", write_streams, described(parsing_language, Msg::HelpWriteStreams))
            ->check(file_name(parsing_language));
    bool force = false;
    app.add_flag("--force", force, described(parsing_language, Msg::HelpForce))->needs(write_streams_option);
    std::uint64_t follow = 0;
    auto* follow_option =
        app.add_option("--follow", follow, described(parsing_language, Msg::HelpFollow))
            ->check(whole_number_between(1, std::numeric_limits<ConversationId>::max(), parsing_language))
            ->excludes(write_streams_option)
            ->excludes(conn_option);
    std::string follow_format = "text";
    app.add_option("--follow-format", follow_format, described(parsing_language, Msg::HelpFollowFormat))
        ->check(CLI::IsMember({"text", "hex", "raw"}))
        ->needs(follow_option);
    bool reassemble = false;
    app.add_flag("--reassemble", reassemble, described(parsing_language, Msg::HelpReassemble));
    stream::StreamLimits stream_limits;
    std::uint64_t stream_memory = stream::StreamBudget::kDefaultLimit;
    constexpr std::uint64_t kMostBytes = 1ULL << 62;
    app.add_option("--stream-buffer", stream_limits.max_buffered, described(parsing_language, Msg::HelpStreamBuffer))
        ->check(whole_number_between(1, kMostBytes, parsing_language));
    app.add_option("--stream-memory", stream_memory, described(parsing_language, Msg::HelpStreamMemory))
        ->check(whole_number_between(1, kMostBytes, parsing_language));
    std::string follow_direction;
    app.add_option("--follow-direction", follow_direction, described(parsing_language, Msg::HelpFollowDirection))
        ->check(CLI::IsMember({"client", "server"}))
        ->needs(follow_option);
    app.add_option("-Z,--user", input.drop_to_user, described(parsing_language, Msg::HelpUser));
    app.add_option("-s,--snaplen", input.snaplen, described(parsing_language, Msg::HelpSnaplen))
        ->check(integer_between(64, 262144, parsing_language));
    app.add_flag("--promiscuous", input.promiscuous, described(parsing_language, Msg::HelpPromiscuous));
    app.add_option("-F,--format", format, described(parsing_language, Msg::HelpFormat))
        ->check(CLI::IsMember({"text", "json", "jsonl", "dot", "csv", "ladder", "mermaid", "svg", "html"}));
    bool ascii_ladder = false;
    app.add_flag("--ascii", ascii_ladder, described(parsing_language, Msg::HelpAscii));
    std::string time_scale = "even";
    app.add_option("--time-scale", time_scale, described(parsing_language, Msg::HelpTimeScale))
        ->check(CLI::IsMember({"even", "linear", "log"}));
    std::string graph = "states";
    app.add_option("--graph", graph, described(parsing_language, Msg::HelpGraph))
        ->check(CLI::IsMember({"states", "full", "talkers", "timeseq"}));
    app.add_flag("--summary", summary, described(parsing_language, Msg::HelpSummary));
    BigCaptureOptions big;
    add_big_capture_options(app, big, parsing_language);
    bool step = false;
    app.add_flag("--step", step, described(parsing_language, Msg::HelpStep));
    app.add_flag("-A", ascii, described(parsing_language, Msg::HelpPayloadAscii));
    app.add_flag("-X", hex, described(parsing_language, Msg::HelpPayloadHex));
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, described(parsing_language, Msg::HelpVerbose));
    app.add_flag("-S,--absolute-seq", absolute_seq, described(parsing_language, Msg::HelpAbsoluteSeq));
    app.add_option("--color", color, described(parsing_language, Msg::HelpColor))
        ->check(CLI::IsMember({"auto", "always", "never"}));
    std::string lang = "en";
    add_language_option(app, lang, parsing_language);
    app.add_flag("--strict", strict, described(parsing_language, Msg::HelpStrict));
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, described(parsing_language, Msg::HelpQuiet));
    app.add_option("--idle-timeout", idle_s, described(parsing_language, Msg::HelpIdleTimeout))
        ->check(seconds_between(1e-6, kMostSeconds, parsing_language));
    app.add_option("--handshake-timeout", handshake_s, described(parsing_language, Msg::HelpHandshakeTimeout))
        ->check(seconds_between(1e-6, kMostSeconds, parsing_language));
    app.add_option("--closed-linger", linger_s, described(parsing_language, Msg::HelpClosedLinger))
        ->check(seconds_between(0, kMostSeconds, parsing_language));
    app.add_option("--max-connections", max_connections, described(parsing_language, Msg::HelpMaxConnections))
        ->check(whole_number_between(1, std::numeric_limits<std::size_t>::max(), parsing_language));
    bool compact_closed = false;
    app.add_flag("--compact-closed", compact_closed, described(parsing_language, Msg::HelpCompactClosed));
    std::string threads = "auto";
    app.add_option("--threads", threads, described(parsing_language, Msg::HelpThreads))
        ->check(CLI::IsMember({"auto", "1"}));
    // Each helper thread on its own, for measuring one against the other; hidden from --help.
    // auto: as --threads says.
    std::string render_thread = "auto";
    app.add_option("--render-thread", render_thread)->group("");
    std::string ingest_thread = "auto";
    app.add_option("--ingest-thread", ingest_thread)->group("");
    std::string share_helper_cpu = "auto";
    app.add_option("--share-helper-cpu", share_helper_cpu)->group("");
    // How often the progress line is redrawn, for the tests; hidden from --help.
    auto progress_interval_ms = run::ProgressLine::kDefaultInterval.count();
    app.add_option("--progress-interval-ms", progress_interval_ms)->group("");

    refuse_flag_values(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage_error(parsing_language, parse_error_text(e, app, parsing_language));
    }
    const Language language = language_or_english(lang);
    input.language = language;
    for (const std::string& problem : {hidden_choice_problem("--render-thread", render_thread, {"auto", "on", "off"}),
                                       hidden_choice_problem("--ingest-thread", ingest_thread, {"auto", "on", "off"}),
                                       hidden_choice_problem("--share-helper-cpu", share_helper_cpu, {"auto", "off"})})
        if (!problem.empty()) return usage_error(language, problem);

    if (const std::string problem = language_problem(lang); !problem.empty()) return usage_error(language, problem);
    const auto said = [language](i18n::Msg id, std::initializer_list<i18n::Arg> args = {}) {
        return i18n::said(language, id, args);
    };
    if (graph == "timeseq" && format != "svg") return usage_error(language, said(i18n::Msg::GraphNeedsSvg));
    if (ascii_ladder && format != "ladder") return usage_error(language, said(i18n::Msg::AsciiNeedsLadder));
    if (time_scale != "even" && (format != "svg" || graph == "timeseq"))
        return usage_error(language, said(i18n::Msg::TimeScaleNeedsSvg));
    if ((graph == "full" || graph == "talkers") && format != "dot")
        return usage_error(language, said(i18n::Msg::GraphNeedsDot, {graph}));
    if (const std::string problem = big_capture_problem(big, format, summary, language); !problem.empty())
        return usage_error(language, problem);
    if (follow_format == "raw" && follow_direction.empty())
        return usage_error(language, said(i18n::Msg::RawNeedsDirection));

    // `--conn 3 --conn 7,9` is the list 3,7,9.
    std::vector<ConversationId> conn;
    if (!conn_lists.empty()) {
        auto parsed = check::parse_connection_numbers(fmt::format("{}", fmt::join(conn_lists, ",")), language);
        if (const auto* e = std::get_if<check::SourceError>(&parsed))
            return usage_error(language, said(i18n::Msg::CliOptionProblem, {"--conn", e->message}));
        conn = std::get<std::vector<ConversationId>>(std::move(parsed));
    }

    if (!shard_text.empty()) {
        const auto shard = flow::Shard::parse(shard_text);
        if (!shard)
            return usage_error(
                language, said(i18n::Msg::CliOptionProblem, {"--shard " + shard_text, shard.error().text(language)}));
        input.shard = shard.value();
    }
    const auto named = files_named(file_set);
    if (!named) {
        complain(language, i18n::Msg::ErrorLine, named.error().text(language));
        return run::exit_code_for(named.error().kind);
    }
    if (const std::string problem = use_files(named.value(), file_set, language, input); !problem.empty())
        return usage_error(language, problem);
    if (!named->empty()) {
        input.filter = join(positionals, 0);
    } else if (input.interface.empty()) {
        if (positionals.empty()) return usage_error(language, said(i18n::Msg::NoCaptureGiven));
        input.path = positionals[0];
        input.filter = join(positionals, 1);
    } else {
        input.filter = join(positionals, 0);
    }
    if (count > 0) input.max_packets = count;

    RenderOptions ro;
    ro.color = (format == "text" || format == "ladder") && want_color(color);
    ro.ascii = ascii_ladder || (format == "ladder" && !utf8_locale());
    ro.language = language;
    ro.time_scale = time_scale == "linear" ? TimeScale::Linear : time_scale == "log" ? TimeScale::Log : TimeScale::Even;
    ro.payload = hex ? PayloadMode::HexAscii : (ascii ? PayloadMode::Ascii : PayloadMode::None);
    ro.verbose = verbose;
    ro.absolute_seq = absolute_seq;
    ro.summary_only = summary;
    apply_big_capture_options(big, ro);
    ro.graph = graph == "talkers"   ? GraphKind::Talkers
               : graph == "full"    ? GraphKind::Full
               : graph == "timeseq" ? GraphKind::TimeSequence
                                    : GraphKind::States;
    OutputFormat of = OutputFormat::Text;
    if (format == "json")
        of = OutputFormat::Json;
    else if (format == "jsonl")
        of = OutputFormat::Jsonl;
    else if (format == "dot")
        of = OutputFormat::Dot;
    else if (format == "csv")
        of = OutputFormat::Csv;
    else if (format == "ladder")
        of = OutputFormat::Ladder;
    else if (format == "mermaid")
        of = OutputFormat::Mermaid;
    else if (format == "svg")
        of = OutputFormat::Svg;
    else if (format == "html")
        of = OutputFormat::Html;

    Options options;
    // The options' ranges keep these far inside a Duration; saturating is the fence.
    auto secs = [](double s) {
        const std::chrono::duration<double> d(s);
        if (d >= Duration::max()) return Duration::max();
        return std::chrono::duration_cast<Duration>(d);
    };
    options.idle_timeout = secs(idle_s);
    options.handshake_timeout = secs(handshake_s);
    options.closed_linger = secs(linger_s);
    options.max_connections = max_connections;
    options.compact_closed = compact_closed;

    input.progress = !quiet;
    input.progress_interval = std::chrono::milliseconds(progress_interval_ms);
    if (!input.interface.empty() && !quiet) {
        input.on_capturing = [&input, language] {
            const std::string banner =
                input.filter.empty()
                    ? i18n::said(language, i18n::Msg::CapturingOn, {input.interface})
                    : i18n::said(language, i18n::Msg::CapturingOnFiltered, {input.interface, input.filter});
            complain(language, i18n::Msg::NoteLine, banner);
        };
    }
    std::optional<step::Recorder> recorder;
    if (step) {
        if (const std::string problem =
                step::step_problem({of, summary, follow != 0, !input.interface.empty(), input.path == "-"}, language);
            !problem.empty())
            return usage_error(language, problem);
        recorder.emplace(of, ro);
    }
    run::install_stop_handlers();
    auto renderer = recorder ? nullptr : make_renderer(of, stdout, ro);
    EventSink& output = recorder ? static_cast<EventSink&>(*recorder) : *renderer;
    // A live capture renders directly: each segment appears as soon as it is captured.
    const bool helpers_allowed = threads == "auto";
    const bool threaded =
        render_thread == "on" || (render_thread == "auto" && helpers_allowed && input.interface.empty() && !summary &&
                                  std::thread::hardware_concurrency() >= 2);
    input.ingest_thread =
        ingest_thread == "on" || (ingest_thread == "auto" && helpers_allowed && run::ingest_thread_pays());
    // The walkthrough and the JSON outputs say what each connection carries (content hints),
    // from its first bytes; the per-connection tables and graphs do not.
    const bool shows_content =
        follow == 0 && !summary && (of == OutputFormat::Text || of == OutputFormat::Json || of == OutputFormat::Jsonl);
    input.payload_needed =
        ro.payload != PayloadMode::None || !write_streams.empty() || follow != 0 || reassemble || shows_content;
    // Three busy threads, the analysis the heaviest: the helpers share one CPU
    // (cpu_placement.hpp). Measured for each output: the JSON document and payload dumps
    // render more than the analysis does, and the per-connection outputs (CSV, dot) leave
    // the render thread nearly idle, so there is nothing to gain and a CPU's freedom to lose.
    const bool analysis_heaviest =
        (of == OutputFormat::Text || of == OutputFormat::Jsonl) && ro.payload == PayloadMode::None;
    if (share_helper_cpu == "auto" && threaded && input.ingest_thread && input.interface.empty() &&
        input.write_path.empty() && analysis_heaviest)
        input.helper_cpu = run::shared_helper_cpu();
    std::optional<run::RenderThread> render_worker;
    if (threaded && follow == 0) render_worker.emplace(output, ro.payload != PayloadMode::None, input.helper_cpu);
    Discard discard;
    EventSink& sink = follow != 0     ? static_cast<EventSink&>(discard)
                      : render_worker ? static_cast<EventSink&>(*render_worker)
                                      : output;
    // The session finds the hints, only when shown.
    options.content_hints = shows_content;
    // The streams are rebuilt on the analysis thread, in front of the output, only when asked.
    std::optional<run::StreamDirectory> stream_directory;
    std::optional<stream::FollowPrinter> follower;
    std::optional<stream::ConnectionStreams> streams;
    stream::DiscardedStreams discarded_streams;
    const auto facts = reassemble ? stream::StreamFacts::Attached : stream::StreamFacts::Kept;
    if (!write_streams.empty()) {
        stream_directory.emplace(write_streams, force, language, [] { run::request_stop(); });
        streams.emplace(sink, *stream_directory, stream_limits, stream_memory, facts);
        input.open_outputs = [&stream_directory](std::span<const ingest::FileIdentity> inputs) {
            return stream_directory->open(inputs);
        };
    } else if (follow != 0) {
        const auto shown = follow_format == "hex"   ? stream::FollowFormat::Hex
                           : follow_format == "raw" ? stream::FollowFormat::Raw
                                                    : stream::FollowFormat::Text;
        std::optional<Role> only;
        if (!follow_direction.empty()) only = follow_direction == "client" ? Role::Client : Role::Server;
        follower.emplace(stdout, static_cast<ConversationId>(follow), shown, only, want_color(color), language);
        streams.emplace(sink, *follower, stream_limits, stream_memory);
    } else if (reassemble) {
        streams.emplace(sink, discarded_streams, stream_limits, stream_memory, facts);
    }
    // --conn filters in front of everything shown or written (the streams too).
    EventSink& rendered = streams ? static_cast<EventSink&>(*streams) : sink;
    std::optional<run::ConnectionSelection> selection;
    if (!conn.empty()) selection.emplace(rendered, std::move(conn));
    std::optional<Result<CaptureSummary>> ran;
    try {
        ran.emplace(run::run_capture(input, options, selection ? static_cast<EventSink&>(*selection) : rendered));
        // Joins the worker: all output is written before the checks below.
        render_worker.reset();
    } catch (const render::SpillFailure& e) {
        // The JSON document's temporary file failed: the environment, not the program.
        complain(language, i18n::Msg::ErrorLine, e.error().text(language));
        return run::exit_code_for(e.error().kind);
    }
    auto& result = *ran;
    if (!result) {
        complain(language, i18n::Msg::ErrorLine, result.error().text(language));
        return run::exit_code_for(result.error().kind);
    }
    if (stream_directory && stream_directory->error()) {
        const Error& e = *stream_directory->error();
        complain(language, i18n::Msg::ErrorLine, e.text(language));
        return run::exit_code_for(e.kind);
    }
    if (follower && !follower->found())
        complain(language, i18n::Msg::WarningLine,
                 said(follow_direction.empty() ? i18n::Msg::NoPayloadFollowed : i18n::Msg::NoPayloadFollowedThatWay,
                      {follow}));
    if (std::ferror(stdout)) {
        complain(language, i18n::Msg::ErrorLine, said(i18n::Msg::WritingOutputFailed));
        return run::exit_code::kIo;
    }
    for (const auto& skipped : result->skipped_files)
        complain(language, i18n::Msg::WarningLine,
                 said(i18n::Msg::SkippedFile, {skipped.path, skipped.reason.text(language)}));
    if (result->truncated) {
        complain(language, i18n::Msg::WarningLine,
                 said(i18n::Msg::CaptureTruncatedWarning, {result->truncation_message}));
        if (strict && !result->interrupted) return run::exit_code::kTruncated;
    }
    if (const auto& i = result->interrupted) {
        complain(language, i18n::Msg::WarningLine,
                 said(i18n::Msg::InterruptedWarning, {render::signal_name(i->signal), i->after_frame}));
        return run::exit_code::interrupted(i->signal);
    }
    if (selection && !selection->missing().empty()) {
        const std::string numbers = fmt::format("{}", fmt::join(selection->missing(), ", "));
        complain(language, i18n::Msg::ErrorLine,
                 said(i18n::Msg::ConnNotInCapture, {selection->missing().size(), numbers}));
        return run::exit_code::kUsage;
    }
    if (recorder) return step::show(*recorder, ro.color);
    return run::exit_code::kOk;
}

}  // namespace tfx::cli
