#include "demo/demo_command.hpp"

#include <fmt/format.h>

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "cli/help_language.hpp"
#include "cli/language_option.hpp"
#include "cli/walkthrough.hpp"
#include "demo/private_loopback.hpp"
#include "demo/scenarios.hpp"
#include "i18n/catalogue.hpp"
#include "step/terminal.hpp"
#include "run/capture_runner.hpp"
#include "run/error_line.hpp"

namespace tfx::demo {

namespace {

constexpr const char* kProg = "tcpflow-explain";

std::string scenario_list(Language lang) {
    std::string out;
    for (const Scenario& s : scenarios()) out += fmt::format("  {:<19} {}\n", s.name, i18n::said(lang, s.about));
    return out;
}

std::string help(Language lang) { return cli::described(lang, i18n::Msg::HelpDemo) + "\n" + scenario_list(lang); }

// "tcpflow-explain: error: PROBLEM" in `lang`, on standard error.
void print_error_line(const std::string& problem, Language lang) {
    run::complain(lang, i18n::Msg::ErrorLine, kProg, problem);
}

int usage_error(const std::string& problem, Language lang) {
    print_error_line(problem, lang);
    std::fprintf(stderr, "%s\n", i18n::said(lang, i18n::Msg::DemoUsageHint, {kProg}).c_str());
    return run::exit_code::kUsage;
}

int no_such_demo(const std::string& problem, Language lang) {
    print_error_line(problem, lang);
    std::fprintf(stderr, "%s\n%s", i18n::said(lang, i18n::Msg::DemoListHeader).c_str(), scenario_list(lang).c_str());
    return run::exit_code::kUsage;
}

int error(const std::string& problem, int status, Language lang) {
    print_error_line(problem, lang);
    return status;
}

// A capture's error, in the language the walkthrough that follows will speak.
int error(const Error& e, Language lang) {
    print_error_line(e.text(lang), lang);
    return run::exit_code_for(e.kind);
}

// What the command line asks of the demo itself; the rest goes to the walkthrough.
struct DemoRequest {
    const Scenario* scenario = nullptr;
    bool host_loopback = false;
    std::string write_path;
    std::vector<std::string> walkthrough_options;
};

// Whether `arg` is the short option `letter` (alone or with its value glued) or the long one.
bool is_option(std::string_view arg, char letter, std::string_view long_name) {
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] == letter) return true;
    return arg == long_name ||
           (arg.starts_with(long_name) && arg.size() > long_name.size() && arg[long_name.size()] == '=');
}

// Splits the options after NAME; empty when they are fine, else the usage problem.
std::string split_options(int argc, char** argv, int first_option, DemoRequest& request, Language lang) {
    for (int i = first_option; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--host-loopback") {
            request.host_loopback = true;
        } else if (arg == "-w" || arg == "--write") {
            if (i + 1 >= argc) return i18n::said(lang, i18n::Msg::DemoNeedsFileName, {arg});
            request.write_path = argv[++i];
        } else if (arg.starts_with("--write=")) {
            request.write_path = arg.substr(std::string_view("--write=").size());
        } else if (arg.starts_with("-w")) {
            request.write_path = arg.substr(2);
        } else if (is_option(arg, 'i', "--interface")) {
            return i18n::said(lang, i18n::Msg::DemoNoInterface);
        } else if (is_option(arg, 'Z', "--user")) {
            return i18n::said(lang, i18n::Msg::DemoNoUser);
        } else {
            request.walkthrough_options.emplace_back(arg);
        }
    }
    return {};
}

// Plays the scenario on its own thread once the capture runs, then stops the capture after
// a grace period for the last segments to be captured.
class Player {
public:
    Player(const Scenario& scenario, Stage& stage, std::chrono::milliseconds grace)
        : scenario_(scenario), stage_(stage), grace_(grace) {}
    ~Player() { finish(); }
    Player(const Player&) = delete;
    Player& operator=(const Player&) = delete;

    void start() {
        thread_ = std::thread([this] {
            problem_ = scenario_.play(stage_);
            const auto step = std::chrono::milliseconds(10);
            for (auto waited = std::chrono::milliseconds(0); waited < grace_ && !run::stop_requested().load();
                 waited += step)
                std::this_thread::sleep_for(step);
            // A stop already asked for came from a signal: the capture was cut short.
            if (!run::stop_requested().load()) {
                completed_ = true;
                run::request_stop();
            }
        });
    }
    void finish() {
        if (thread_.joinable()) thread_.join();
    }
    /// After finish(): whether the exchange was played and captured to its end, no signal
    /// stopping the capture first.
    [[nodiscard]] bool completed() const { return completed_; }
    [[nodiscard]] const Problem& problem() const { return problem_; }

private:
    const Scenario& scenario_;
    Stage& stage_;
    std::chrono::milliseconds grace_;
    std::thread thread_;
    std::atomic<bool> completed_{false};
    Problem problem_;
};

// The demo's capture goes nowhere while it is taken: it is walked through afterwards.
class Unread final : public EventSink {
public:
    void segment(const AnnotatedSegment& /*seg*/) override {}
    [[nodiscard]] bool wants_segments() const override { return false; }
    void conversation_closed(const ConversationSummary& /*summary*/) override {}
};

// A private directory for the capture when the user keeps none (-w), removed on every path.
class ScratchDirectory {
public:
    ScratchDirectory() {
        std::error_code ec;
        std::string pattern = (std::filesystem::temp_directory_path(ec) / "tcpflow-explain-demo.XXXXXX").string();
        if (ec) pattern = "/tmp/tcpflow-explain-demo.XXXXXX";
        if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    }
    ~ScratchDirectory() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

int cannot_run_simultaneous_close(const std::string& why, Language lang) {
    return error(i18n::said(lang, i18n::Msg::DemoSimultaneousCloseImpossible, {why}), run::exit_code::kCannotOpen,
                 lang);
}

// Captures the scenario's exchange on lo into `capture_path`. 0 when captured, else the
// exit status (the message is written, a capture's error in `lang`).
int capture_exchange(const Scenario& scenario, bool isolated, const std::string& capture_path, Language lang) {
    Stage stage;
    if (auto p = prepare(scenario, stage))
        return error(i18n::said(lang, i18n::Msg::DemoCannotPrepare, {scenario.name, p->text(lang)}),
                     run::exit_code::kCannotOpen, lang);
    run::InputSpec input;
    input.interface = "lo";
    // In a private namespace nothing else runs on lo; on the host's, this keeps other traffic out.
    input.filter = fmt::format("tcp and host 127.0.0.1 and port {}", stage.port);
    input.write_path = capture_path;
    // The shaped loopback holds the last ACKs in its queue for up to a few hundred ms.
    Player player(scenario, stage, std::chrono::milliseconds(scenario.needs_shaped_loopback ? 400 : 150));
    input.on_capturing = [&] {
        const std::string where =
            i18n::said(lang, isolated ? i18n::Msg::DemoCapturingIsolated : i18n::Msg::DemoCapturingHost,
                       {kProg, scenario.name, stage.port});
        std::fprintf(stderr, "%s\n", where.c_str());
        player.start();
    };
    run::install_stop_handlers();
    Unread unread;
    const auto captured = run::run_capture(input, Options{}, unread);
    player.finish();
    if (!captured) {
        const int status = error(captured.error(), lang);
        if (captured.error().kind == ErrorKind::Permission)
            std::fprintf(stderr, "%s\n", i18n::said(lang, i18n::Msg::DemoPermissionHint, {kProg}).c_str());
        return status;
    }
    if (!player.completed()) {
        std::fprintf(stderr, "%s\n", i18n::said(lang, i18n::Msg::DemoInterrupted, {kProg, scenario.name}).c_str());
        return run::exit_code::interrupted(SIGINT);
    }
    if (const auto& p = player.problem())
        return error(i18n::said(lang, i18n::Msg::DemoExchangeFailed, {scenario.name, p->text(lang)}),
                     run::exit_code::kCannotOpen, lang);
    return 0;
}

}  // namespace

int run_demo(int argc, char** argv) {
    const Language lang = cli::language_before_parsing(argc, argv);
    // Before the demo's name: --list, --help, and --lang (the walkthrough's, read already, so
    // that "demo --lang fr handshake" and "demo --lang fr --help" speak French).
    DemoRequest request;
    int name_at = 1;
    for (; name_at < argc; ++name_at) {
        const std::string_view arg = argv[name_at];
        if (arg == "--list") {
            std::fputs(scenario_list(lang).c_str(), stdout);
            return run::exit_code::kOk;
        }
        if (arg == "-h" || arg == "--help") {
            std::fputs(help(lang).c_str(), stdout);
            return run::exit_code::kOk;
        }
        if (arg == "--lang" && name_at + 1 < argc) {
            request.walkthrough_options.emplace_back(arg);
            request.walkthrough_options.emplace_back(argv[++name_at]);
        } else if (arg.starts_with("--lang=")) {
            request.walkthrough_options.emplace_back(arg);
        } else {
            break;
        }
    }
    if (name_at >= argc) return no_such_demo(i18n::said(lang, i18n::Msg::DemoNameOne), lang);
    const std::string_view first = argv[name_at];
    request.scenario = find_scenario(first);
    if (request.scenario == nullptr)
        return no_such_demo(first.starts_with('-') ? i18n::said(lang, i18n::Msg::DemoNameFirst)
                                                   : i18n::said(lang, i18n::Msg::DemoNoSuchDemo, {first}),
                            lang);
    if (auto problem = split_options(argc, argv, name_at + 1, request, lang); !problem.empty())
        return usage_error(problem, lang);
    for (const std::string& o : request.walkthrough_options) {
        if (o == "-h" || o == "--help") {
            std::fputs(help(lang).c_str(), stdout);
            return run::exit_code::kOk;
        }
        // Refused before the exchange is played, not after.
        if (const std::string problem = o == "--step" ? step::terminal_problem(lang) : std::string(); !problem.empty())
            return usage_error(problem, lang);
    }
    const Scenario& scenario = *request.scenario;

    // First, while this process has a single thread: the namespace is the calling thread's.
    const Problem no_namespace = request.host_loopback
                                     ? Problem(Error{ErrorKind::Usage, i18n::Msg::DemoHostLoopbackAsked})
                                     : enter_private_loopback();
    if (scenario.needs_shaped_loopback) {
        if (no_namespace)
            return cannot_run_simultaneous_close(
                i18n::said(lang, i18n::Msg::DemoNoNamespace, {no_namespace->text(lang)}), lang);
        if (auto p = shape_loopback()) return cannot_run_simultaneous_close(p->text(lang), lang);
    }

    std::optional<ScratchDirectory> scratch;
    std::string capture_path = request.write_path;
    if (capture_path.empty()) {
        scratch.emplace();
        if (scratch->path().empty())
            return error(i18n::said(lang, i18n::Msg::DemoNoTemporaryDirectory), run::exit_code::kIo, lang);
        capture_path = (scratch->path() / (std::string(scenario.name) + ".pcap")).string();
    }
    if (const int status = capture_exchange(scenario, !no_namespace, capture_path, lang); status != 0) return status;

    run::clear_stop();
    std::vector<std::string> args{kProg, capture_path};
    args.insert(args.end(), request.walkthrough_options.begin(), request.walkthrough_options.end());
    std::vector<char*> walkthrough_argv;
    for (std::string& a : args) walkthrough_argv.push_back(a.data());
    walkthrough_argv.push_back(nullptr);
    return cli::run_walkthrough(static_cast<int>(args.size()), walkthrough_argv.data());
}

}  // namespace tfx::demo
