#pragma once
// Reports of `check`: human text, JSON, JUnit XML. They format; they decide nothing
// (verdicts come from evaluate()). For every connection that breaks a check, the text and
// JSON reports show the annotated segments behind the failed predicate (handshake segments
// for a handshake field, FIN/RST segments for a close field, the segments carrying the
// finding for a count of findings, ...).

#include <optional>
#include <string>
#include <vector>

#include "check/evaluate.hpp"
#include "text/xml_text.hpp"
#include "tfx/language.hpp"

namespace tfx::check {

/// What happened to the command of the live form (`check -i IF ... -- cmd args`).
struct CommandStatus {
    std::vector<std::string> argv;
    bool started = false;
    std::string error;  ///< why it could not start
    std::optional<int> exit_status;
    std::optional<int> signal;       ///< killed by this signal
    bool killed_after_term = false;  ///< still running LiveCommand::kTermGrace after SIGTERM: SIGKILLed
};
/// "exited with status 0", "killed by signal 15", "could not start: ...", "killed by
/// signal 9 (SIGKILL: it ignored SIGTERM for 2 s)".
[[nodiscard]] std::string describe(const CommandStatus& c, Language lang = Language::En);

struct RunInfo {
    std::string source;  ///< capture file or "interface lo"
    std::string filter;
    bool live = false;
    std::optional<CaptureSummary> capture;
    std::uint64_t connections_seen = 0;
    std::optional<CommandStatus> command;
    std::vector<std::string> warnings;
};

struct ReportInput {
    const RunInfo& run;
    const std::vector<Check>& checks;
    const std::vector<CheckOutcome>& outcomes;
    const std::vector<ConnectionFacts>& facts;
    Language language = Language::En;  ///< of the sentences; names, keys and codes never change
};

[[nodiscard]] std::string text_report(const ReportInput& in);
[[nodiscard]] std::string json_report(const ReportInput& in);
[[nodiscard]] std::string junit_report(const ReportInput& in);

/// One compact walkthrough line: `#7 +0.000230 C>S [P.] seq 1:101 ack 1 win 502 ! retransmission`.
[[nodiscard]] std::string format_line(const SegmentLine& l);
/// "conn 3 10.0.0.1:51234 -> 10.0.0.2:80".
[[nodiscard]] std::string connection_label(const ConversationSummary& s, Language lang = Language::En);
/// For each of `facts` (in id order, the order of first frames), a name that stays the same
/// from one run of the same exchange to the next: "conn to 127.0.0.1:8080 #2", the server
/// endpoint and the connection's rank among those to that server. The client's ephemeral
/// port and the connection number (which other traffic in the capture shifts) are left out.
[[nodiscard]] std::vector<std::string> stable_connection_names(const std::vector<ConnectionFacts>& facts);
/// Segments of `f` that explain predicate `p` (bounded by what the collector kept).
[[nodiscard]] std::vector<const SegmentLine*> evidence(const Predicate& p, const ConnectionFacts& f);
/// Segments of `f` of one kind of evidence; `codes` for Evidence::Findings (none: the
/// retransmission codes).
[[nodiscard]] std::vector<const SegmentLine*> evidence_lines(Evidence kind, const std::vector<AnnotationCode>& codes,
                                                             const ConnectionFacts& f);

using text::xml_escape;  // the JUnit report's escaping (text/xml_text.hpp)

}  // namespace tfx::check
