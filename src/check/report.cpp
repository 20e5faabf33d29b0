#include "check/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "check/cause.hpp"
#include "check/live_command.hpp"
#include "i18n/catalogue.hpp"
#include "text/terminal_text.hpp"
#include "render/signal_name.hpp"
#include "text/append.hpp"
#include "tfx/version.hpp"

namespace tfx::check {

namespace {

using i18n::Msg;
using nlohmann::json;

constexpr std::size_t kMaxLinesShown = 12;

bool any_code(const SegmentLine& l, const std::vector<AnnotationCode>& codes) {
    return std::any_of(codes.begin(), codes.end(), [&](AnnotationCode c) { return l.has(c); });
}

std::string seconds(Duration d) {
    fmt::memory_buffer out;
    text::append_signed_seconds(out, d);
    return fmt::to_string(out);
}

/// "frame 5" or "frames 4 to 9 (3 segments, 1 a retransmission)": a direction's data segments.
std::string data_frames_text(const DataFrames& d, Role sender, Language lang) {
    const std::string_view role = i18n::role_word(lang, sender);
    if (d.segments == 0) return i18n::said(lang, Msg::NoDataSegment, {role});
    std::string s = d.segments == 1 ? i18n::said(lang, Msg::DataInFrame, {role, d.first})
                                    : i18n::said(lang, Msg::DataInFrames, {role, d.segments, d.first, d.last});
    if (d.retransmitted > 0) s += i18n::said(lang, Msg::DataRetransmitted, {d.retransmitted});
    return s;
}

/// format_duration() in a sentence: "1.204ms", with the decimal comma of French prose.
std::string prose_duration(Duration d, Language lang) {
    std::string s = format_duration(d);
    if (lang == Language::Fr) std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

/// "frame 5 acknowledged by frame 6 (1.204ms)": the sample of `kept` whose time is `rtt`.
std::optional<std::string> sample_text(const std::vector<RttSample>& kept, Duration rtt, Language lang) {
    for (const auto& r : kept)
        if (r.rtt == rtt)
            return i18n::said(lang, Msg::SamplePair, {r.data_frame, r.ack_frame, prose_duration(r.rtt, lang)});
    return std::nullopt;
}

/// The first kept line `pick` accepts, or nullptr.
template <typename Pick>
const SegmentLine* first_line(const ConnectionFacts& f, Pick pick) {
    const auto it = std::find_if(f.lines.begin(), f.lines.end(), pick);
    return it == f.lines.end() ? nullptr : &*it;
}

/// The frames behind a field's value on one connection, in words; empty when the field's
/// evidence is the segments listed under it.
std::string field_evidence(const FieldInfo& field, const ConnectionFacts& f, Language lang) {
    const ConversationSummary& s = f.summary;
    const auto rtt_extreme = [&s](bool largest) -> std::optional<Duration> {
        std::optional<Duration> best;
        for (const auto& d : s.dir) {
            if (d.rtt_samples == 0) continue;
            const Duration v = largest ? d.rtt_max : d.rtt_min;
            if (!best || (largest ? v > *best : v < *best)) best = v;
        }
        return best;
    };
    const auto rst = [](const SegmentLine& l) { return (l.flags & tcpflag::kRst) != 0; };
    switch (field.attr) {
        case Attr::RttMax:
        case Attr::RttAvg:
        case Attr::RttMin: {
            const bool largest = field.attr != Attr::RttMin;
            const auto value = rtt_extreme(largest);
            if (!value) return {};
            const auto pair = sample_text(largest ? f.largest_rtts : f.smallest_rtts, *value, lang);
            const std::uint32_t n = s.dir[0].rtt_samples + s.dir[1].rtt_samples;
            std::string out = field.attr == Attr::RttAvg ? i18n::said(lang, Msg::RttSamples, {n}) : std::string();
            const std::string sample = pair.value_or(std::string(i18n::word(lang, Msg::SampleNotKept)));
            return out + i18n::said(lang, largest ? Msg::WorstSample : Msg::BestSample, {sample});
        }
        case Attr::ClientBytes:
        case Attr::ClientPayloadBytes: return data_frames_text(f.data[0], Role::Client, lang);
        case Attr::ServerBytes:
        case Attr::ServerPayloadBytes: return data_frames_text(f.data[1], Role::Server, lang);
        case Attr::Bytes:
        case Attr::PayloadBytes:
            return data_frames_text(f.data[0], Role::Client, lang) + std::string(i18n::word(lang, Msg::TermSeparator)) +
                   data_frames_text(f.data[1], Role::Server, lang);
        case Attr::Handshake: {
            const auto* l = first_line(f, [](const SegmentLine& x) {
                return x.meaning == SegmentMeaning::HandshakeComplete || x.meaning == SegmentMeaning::Refused;
            });
            if (l == nullptr) {
                const auto it = std::find_if(f.lines.rbegin(), f.lines.rend(),
                                             [](const SegmentLine& x) { return (x.flags & tcpflag::kSyn) != 0; });
                l = it == f.lines.rend() ? nullptr : &*it;
            }
            return l != nullptr ? i18n::said(lang, Msg::DecidedBy, {frame_words(*l, lang)}) : std::string();
        }
        case Attr::Close:
        case Attr::ClosedBy: {
            const auto* l =
                first_line(f, [](const SegmentLine& x) { return (x.flags & (tcpflag::kFin | tcpflag::kRst)) != 0; });
            return l != nullptr ? i18n::said(lang, Msg::DecidedBy, {frame_words(*l, lang)}) : std::string();
        }
        case Attr::RstBy:
        case Attr::RstCount: {
            const auto* l = first_line(f, rst);
            return l != nullptr ? i18n::said(lang, Msg::FirstRstIn, {frame_words(*l, lang)}) : std::string();
        }
        default: return {};
    }
}

/// Why one connection breaks the check, in words: the failed predicates with observed values,
/// and the frames behind each value.
std::string why(const Check& check, const CheckOutcome& out, const ConnectionOutcome& c, const ConnectionFacts& f,
                Language lang) {
    if (c.satisfied) {
        // Only an `exactly N` check blames a satisfying connection: one too many.
        return i18n::said(lang, Msg::Satisfies, {verdict_text(out, check.quantifier.kind, lang)});
    }
    std::string s;
    for (std::size_t i = 0; i < c.terms.size(); ++i) {
        if (c.terms[i].passed) continue;
        const Predicate& p = check.expect.terms[i];
        if (!s.empty()) s += i18n::word(lang, Msg::TermSeparator);
        s += i18n::said(lang, Msg::TermBroken, {p.field->name, c.terms[i].observed, p.text});
        if (const auto frames = field_evidence(*p.field, f, lang); !frames.empty())
            s += i18n::said(lang, Msg::EvidenceAfter, {frames});
    }
    return s;
}

std::vector<const SegmentLine*> connection_evidence(const Check& check, const ConnectionOutcome& c,
                                                    const ConnectionFacts& f) {
    std::vector<const SegmentLine*> lines;
    for (std::size_t i = 0; i < check.expect.terms.size(); ++i) {
        // Evidence of the failed predicates; for a surplus connection (`exactly N`), of all.
        if (!c.satisfied && c.terms[i].passed) continue;
        for (const auto* l : evidence(check.expect.terms[i], f))
            if (std::find(lines.begin(), lines.end(), l) == lines.end()) lines.push_back(l);
    }
    std::sort(lines.begin(), lines.end(),
              [](const SegmentLine* a, const SegmentLine* b) { return a->frame < b->frame; });
    return lines;
}

/// Whether every failed predicate of connection `c` follows from `cause`: the report then
/// gives the cause instead of the connection's own evidence.
bool attributed(const Check& check, const ConnectionOutcome& c, const Cause& cause) {
    if (!c.breaks || c.satisfied) return false;
    for (std::size_t i = 0; i < c.terms.size(); ++i)
        if (!c.terms[i].passed && !explained_by(cause, *check.expect.terms[i].field)) return false;
    return true;
}

/// A root cause and the checks whose failure on its connection it explains.
struct CauseReport {
    std::size_t facts_index = 0;
    Cause cause;
    std::vector<std::pair<std::size_t, const ConnectionOutcome*>> breaks;  ///< check index, its outcome there
};

/// The root causes behind the failures of `in`, one per connection that has one explaining
/// a failure, in connection order.
std::vector<CauseReport> causes_of(const ReportInput& in) {
    std::map<std::size_t, CauseReport> by_connection;
    std::map<std::size_t, std::optional<Cause>> seen;
    for (std::size_t k = 0; k < in.checks.size(); ++k) {
        for (const auto& c : in.outcomes[k].connections) {
            if (!c.breaks) continue;
            auto [it, fresh] = seen.try_emplace(c.facts_index);
            if (fresh) it->second = root_cause(in.facts[c.facts_index], in.language);
            if (!it->second || !attributed(in.checks[k], c, *it->second)) continue;
            CauseReport& r = by_connection[c.facts_index];
            r.facts_index = c.facts_index;
            r.cause = *it->second;
            r.breaks.emplace_back(k, &c);
        }
    }
    std::vector<CauseReport> out;
    for (auto& [index, r] : by_connection) out.push_back(std::move(r));
    return out;
}

/// The cause that explains connection `c`'s failure of check `k`, or nullptr.
const Cause* cause_for(const std::vector<CauseReport>& causes, std::size_t k, const ConnectionOutcome& c) {
    for (const auto& r : causes)
        if (r.facts_index == c.facts_index)
            for (const auto& [check, outcome] : r.breaks)
                if (check == k && outcome == &c) return &r.cause;
    return nullptr;
}

/// The segments that show a cause: those of the handshake, the refusal included.
std::vector<const SegmentLine*> cause_evidence(const ConnectionFacts& f) {
    return evidence_lines(Evidence::Handshake, {}, f);
}

/// Evidence segments of the failed predicates the collector saw but did not keep.
std::uint64_t not_kept(const Check& check, const ConnectionOutcome& c, const ConnectionFacts& f) {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < check.expect.terms.size(); ++i) {
        if (!c.satisfied && c.terms[i].passed) continue;
        const FieldInfo& field = *check.expect.terms[i].field;
        switch (field.evidence) {
            case Evidence::Handshake: n = std::max<std::uint64_t>(n, f.handshake_not_kept); break;
            case Evidence::Teardown: n = std::max<std::uint64_t>(n, f.teardown_not_kept); break;
            case Evidence::Resets: n = std::max<std::uint64_t>(n, f.resets_not_kept); break;
            case Evidence::HandshakeAndTeardown:
                n = std::max<std::uint64_t>(n, std::uint64_t{f.handshake_not_kept} + f.teardown_not_kept);
                break;
            case Evidence::Findings: {
                std::uint64_t sum = 0;
                if (field.codes.empty()) {
                    for (auto code : {AnnotationCode::Retransmission, AnnotationCode::FastRetransmission,
                                      AnnotationCode::SpuriousRetransmission})
                        sum += f.findings_not_kept[static_cast<std::size_t>(code)];
                } else {
                    for (auto code : field.codes) sum += f.findings_not_kept[static_cast<std::size_t>(code)];
                }
                n = std::max(n, sum);
                break;
            }
            case Evidence::Ends: break;
        }
    }
    return n;
}

json line_json(const SegmentLine& l) {
    json j;
    j["frame"] = l.frame;
    j["time"] = static_cast<double>(l.since_start.count()) / 1e9;
    j["sender"] = std::string(to_string(l.sender));
    j["flags"] = flags_to_words(l.flags);
    j["seq"] = l.rel_seq;
    j["ack"] = l.rel_ack;
    j["len"] = l.payload_len;
    j["win"] = l.window;
    json codes = json::array();
    for (std::size_t i = 0; i < l.code_count; ++i) codes.push_back(std::string(code_name(l.codes[i])));
    j["findings"] = codes;
    j["finding_texts"] = l.code_texts;
    j["line"] = format_line(l);
    return j;
}

std::string capture_line(const RunInfo& run, Language lang) {
    std::string s = run.filter.empty()
                        ? i18n::said(lang, Msg::CheckCapture, {run.source, run.connections_seen})
                        : i18n::said(lang, Msg::CheckCaptureFiltered, {run.source, run.filter, run.connections_seen});
    if (run.capture) s += i18n::said(lang, Msg::CheckFrames, {run.capture->frames});
    if (run.capture && run.capture->interrupted)
        s += i18n::said(lang, Msg::CheckInterrupted, {render::signal_name(run.capture->interrupted->signal)});
    return s;
}

}  // namespace

std::string describe(const CommandStatus& c, Language lang) {
    if (!c.started) return i18n::said(lang, Msg::CommandCannotStart, {c.error});
    if (c.signal && c.killed_after_term)
        return i18n::said(lang, Msg::CommandKilledAfterTerm,
                          {*c.signal, render::signal_name(*c.signal), LiveCommand::kTermGrace.count()});
    if (c.signal) return i18n::said(lang, Msg::CommandKilled, {*c.signal});
    if (c.exit_status) return i18n::said(lang, Msg::CommandExited, {*c.exit_status});
    return std::string(i18n::word(lang, Msg::CommandStillRunning));
}

std::string format_line(const SegmentLine& l) {
    std::string s = fmt::format("#{} {} {} [{}] seq {}", l.frame, seconds(l.since_start),
                                l.sender == Role::Client ? "C>S" : "S>C", flags_to_tcpdump(l.flags), l.rel_seq);
    if (l.payload_len > 0) s += fmt::format(":{}", static_cast<std::uint64_t>(l.rel_seq) + l.payload_len);
    if (l.flags & tcpflag::kAck) s += fmt::format(" ack {}", l.rel_ack);
    s += fmt::format(" win {}", l.window);
    if (l.payload_len > 0) s += fmt::format(" len {}", l.payload_len);
    for (std::size_t i = 0; i < l.code_count; ++i) {
        s += fmt::format(" ! {}", code_name(l.codes[i]));
        if (i < l.code_texts.size() && l.code_texts[i] != code_name(l.codes[i])) s += " (" + l.code_texts[i] + ")";
    }
    return s;
}

std::string connection_label(const ConversationSummary& s, Language lang) {
    return i18n::said(lang, Msg::ConnectionLabel, {s.id, s.client.to_string(), s.server.to_string()});
}

std::vector<std::string> stable_connection_names(const std::vector<ConnectionFacts>& facts) {
    std::vector<std::string> names;
    names.reserve(facts.size());
    std::map<std::string, std::size_t> seen_per_server;
    for (const auto& f : facts) {
        const std::string server = f.summary.server.to_string();
        names.push_back(fmt::format("conn to {} #{}", server, ++seen_per_server[server]));
    }
    return names;
}

std::vector<const SegmentLine*> evidence(const Predicate& p, const ConnectionFacts& f) {
    return evidence_lines(p.field->evidence, p.field->codes, f);
}

std::vector<const SegmentLine*> evidence_lines(Evidence kind, const std::vector<AnnotationCode>& codes,
                                               const ConnectionFacts& f) {
    std::vector<const SegmentLine*> out;
    // A refusal (RST answering the SYN) belongs to the story of the handshake.
    const auto handshake = [](const SegmentLine& l) {
        return l.phase == Phase::Handshake || (l.flags & tcpflag::kSyn) != 0 || l.meaning == SegmentMeaning::Refused;
    };
    const auto teardown = [](const SegmentLine& l) {
        return l.phase == Phase::Teardown || (l.flags & (tcpflag::kFin | tcpflag::kRst)) != 0;
    };
    static const std::vector<AnnotationCode> kRetrans{
        AnnotationCode::Retransmission, AnnotationCode::FastRetransmission, AnnotationCode::SpuriousRetransmission};
    for (const auto& l : f.lines) {
        bool take = false;
        switch (kind) {
            case Evidence::Handshake: take = handshake(l); break;
            case Evidence::Teardown: take = teardown(l); break;
            case Evidence::Resets: take = (l.flags & tcpflag::kRst) != 0; break;
            case Evidence::Findings: take = any_code(l, codes.empty() ? kRetrans : codes); break;
            case Evidence::HandshakeAndTeardown: take = handshake(l) || teardown(l); break;
            case Evidence::Ends: take = &l == &f.lines.front() || &l == &f.lines.back(); break;
        }
        if (take) out.push_back(&l);
    }
    return out;
}

std::string text_report(const ReportInput& in) {
    const Language lang = in.language;
    const auto said = [lang](Msg id, std::initializer_list<i18n::Arg> args = {}) { return i18n::said(lang, id, args); };
    // Names, expectations, selectors, paths and the command line come from the user (or a
    // rules file from a repository): escaped, so that they cannot drive the terminal.
    const auto shown = [](std::string_view s) { return text::printable(s); };
    std::string out = said(Msg::CheckHeader, {shown(capture_line(in.run, lang))}) + "\n";
    if (in.run.command) {
        std::string argv;
        for (const auto& a : in.run.command->argv) argv += (argv.empty() ? "" : " ") + a;
        out += said(Msg::CheckCommandLine, {shown(argv), shown(describe(*in.run.command, lang))}) + "\n";
    }
    for (const auto& w : in.run.warnings) out += said(Msg::CheckWarning, {shown(w)}) + "\n";
    out += "\n";
    const auto causes = causes_of(in);
    for (const auto& r : causes) {
        const ConnectionFacts& f = in.facts[r.facts_index];
        out += said(Msg::CauseHeader, {r.cause.sentence}) + "\n";
        out += said(Msg::CauseBreaks, {f.summary.client.to_string(), f.summary.server.to_string(), r.breaks.size()}) +
               "\n";
        for (const auto& [k, c] : r.breaks) {
            const Check& check = in.checks[k];
            const std::string named =
                check.name != check.expect.text ? said(Msg::CheckNamed, {shown(check.name)}) : std::string();
            out += "        " + named + shown(why(check, in.outcomes[k], *c, f, lang)) + "\n";
        }
        for (const auto* l : cause_evidence(f)) out += "      " + format_line(*l) + "\n";
        out += "\n";
    }
    std::size_t failed = 0;
    for (std::size_t k = 0; k < in.checks.size(); ++k) {
        const Check& check = in.checks[k];
        const CheckOutcome& o = in.outcomes[k];
        failed += o.passed ? 0 : 1;
        out += i18n::word(lang, o.passed ? Msg::CheckPass : Msg::CheckFail);
        out += shown(check.name);
        if (check.name != check.expect.text) out += "  [" + shown(check.expect.text) + "]";
        out += said(Msg::CheckScope,
                    {quantifier_words(check.quantifier, lang), verdict_text(o, check.quantifier.kind, lang)});
        if (!check.select.text().empty()) out += said(Msg::CheckScopeSelect, {shown(check.select.text())});
        out += ")\n";
        if (o.passed) continue;
        for (const auto& c : o.connections) {
            if (!c.breaks) continue;
            const ConnectionFacts& f = in.facts[c.facts_index];
            out += said(Msg::CheckConnectionWhy, {connection_label(f.summary, lang), why(check, o, c, f, lang)});
            if (const Cause* cause = cause_for(causes, k, c)) {
                out += said(Msg::CheckSeeCause, {cause_words(cause->kind, lang)}) + "\n";
                continue;
            }
            out += "\n";
            const auto lines = connection_evidence(check, c, f);
            for (std::size_t i = 0; i < lines.size() && i < kMaxLinesShown; ++i)
                out += "          " + format_line(*lines[i]) + "\n";
            if (lines.size() > kMaxLinesShown) out += said(Msg::CheckMoreLines, {lines.size() - kMaxLinesShown}) + "\n";
            if (const auto n = not_kept(check, c, f); n > 0) out += said(Msg::CheckNotKept, {n}) + "\n";
        }
    }
    out += "\n" + said(Msg::CheckTotals, {in.checks.size(), in.checks.size() - failed, failed}) + "\n";
    return out;
}

std::string json_report(const ReportInput& in) {
    json j;
    j["schema"] = kSchemaId;
    j["type"] = "check";
    json cap;
    cap["source"] = in.run.source;
    cap["filter"] = in.run.filter;
    cap["live"] = in.run.live;
    cap["connections"] = in.run.connections_seen;
    if (in.run.capture) {
        cap["frames"] = in.run.capture->frames;
        cap["tcp_segments"] = in.run.capture->tcp_segments;
        cap["truncated"] = in.run.capture->truncated;
        cap["interrupted"] = in.run.capture->interrupted.has_value();
        if (const auto& i = in.run.capture->interrupted) {
            cap["interrupted_by"] = render::signal_name(i->signal);
            cap["interrupted_after_frame"] = i->after_frame;
        }
    }
    j["capture"] = cap;
    if (in.run.command) {
        const auto& c = *in.run.command;
        json cj;
        cj["argv"] = c.argv;
        cj["started"] = c.started;
        cj["exit_status"] = c.exit_status ? json(*c.exit_status) : json(nullptr);
        cj["signal"] = c.signal ? json(*c.signal) : json(nullptr);
        cj["killed_after_term"] = c.killed_after_term;
        cj["error"] = c.error.empty() ? json(nullptr) : json(c.error);
        cj["description"] = describe(c, in.language);
        j["command"] = cj;
    }
    j["warnings"] = in.run.warnings;
    const auto causes = causes_of(in);
    json causes_json = json::array();
    for (const auto& r : causes) {
        json cj;
        cj["id"] = in.facts[r.facts_index].summary.id;
        cj["kind"] = std::string(cause_name(r.cause.kind));
        cj["frame"] = r.cause.frame;
        cj["text"] = r.cause.sentence;
        json breaks = json::array();
        for (const auto& [k, c] : r.breaks) breaks.push_back(in.checks[k].name);
        cj["breaks"] = breaks;
        json segs = json::array();
        for (const auto* l : cause_evidence(in.facts[r.facts_index])) segs.push_back(line_json(*l));
        cj["segments"] = segs;
        causes_json.push_back(cj);
    }
    j["causes"] = causes_json;
    json checks = json::array();
    std::size_t failed = 0;
    for (std::size_t k = 0; k < in.checks.size(); ++k) {
        const Check& check = in.checks[k];
        const CheckOutcome& o = in.outcomes[k];
        failed += o.passed ? 0 : 1;
        json cj;
        cj["name"] = check.name;
        cj["expect"] = check.expect.text;
        cj["origin"] = check.origin;
        cj["select"] = check.select.text();
        cj["quantifier"] = quantifier_text(check.quantifier);
        cj["passed"] = o.passed;
        cj["selected"] = o.selected;
        cj["satisfied"] = o.satisfied;
        cj["verdict"] = verdict_text(o, check.quantifier.kind, in.language);
        json conns = json::array();
        for (const auto& c : o.connections) {
            const ConnectionFacts& f = in.facts[c.facts_index];
            json cc;
            cc["id"] = f.summary.id;
            cc["client"] = f.summary.client.to_string();
            cc["server"] = f.summary.server.to_string();
            cc["satisfied"] = c.satisfied;
            cc["breaks"] = c.breaks;
            json terms = json::array();
            for (std::size_t i = 0; i < c.terms.size(); ++i)
                terms.push_back({{"predicate", check.expect.terms[i].text},
                                 {"passed", c.terms[i].passed},
                                 {"observed", c.terms[i].observed}});
            cc["terms"] = terms;
            if (c.breaks) {
                cc["reason"] = why(check, o, c, f, in.language);
                const Cause* cause = cause_for(causes, k, c);
                cc["cause"] = cause != nullptr ? json(cause->sentence) : json(nullptr);
                json segs = json::array();
                for (const auto* l : connection_evidence(check, c, f)) segs.push_back(line_json(*l));
                cc["segments"] = segs;
            }
            conns.push_back(cc);
        }
        cj["connections"] = conns;
        checks.push_back(cj);
    }
    j["checks"] = checks;
    j["summary"] = {{"checks", in.checks.size()}, {"passed", in.checks.size() - failed}, {"failed", failed}};
    j["passed"] = failed == 0;
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string junit_report(const ReportInput& in) {
    // One <testsuite> per check, one <testcase> per selected connection (JUnit's unit of
    // pass/fail); a check that selected nothing gets one "(no connection)" testcase. Testcase
    // names are stable_connection_names(), so that CI can follow a testcase across runs.
    std::string body;
    std::size_t total = 0, total_failed = 0;
    const std::string suite_prefix = "tcpflow-explain check";
    const auto stable_names = stable_connection_names(in.facts);
    const auto causes = causes_of(in);
    for (std::size_t k = 0; k < in.checks.size(); ++k) {
        const Check& check = in.checks[k];
        const CheckOutcome& o = in.outcomes[k];
        std::string cases;
        std::size_t tests = 0, failures = 0;
        auto testcase = [&](const std::string& name, const std::string* fail_msg, const std::string& text) {
            ++tests;
            cases += "    <testcase classname=\"" + xml_escape(check.name) + "\" name=\"" + xml_escape(name) +
                     "\" time=\"0\">\n";
            if (fail_msg != nullptr) {
                ++failures;
                cases += "      <failure message=\"" + xml_escape(*fail_msg) + "\" type=\"expectation\">" +
                         xml_escape(text) + "</failure>\n";
            }
            cases += "    </testcase>\n";
        };
        const std::string verdict = verdict_text(o, check.quantifier.kind, in.language);
        if (o.connections.empty()) {
            const std::string msg = i18n::said(in.language, Msg::CheckNamed, {check.expect.text}) + verdict;
            const std::string select = check.select.text().empty()
                                           ? std::string()
                                           : i18n::said(in.language, Msg::CheckJunitSelect, {check.select.text()});
            testcase("(no connection)", o.passed ? nullptr : &msg, msg + select + "\n");
        }
        for (const auto& c : o.connections) {
            const ConnectionFacts& f = in.facts[c.facts_index];
            const std::string& name = stable_names[c.facts_index];
            if (!c.breaks) {
                testcase(name, nullptr, {});
                continue;
            }
            const std::string label = connection_label(f.summary, in.language);
            // A failure a root cause explains says the cause first, and shows its segments.
            const Cause* cause = cause_for(causes, k, c);
            const std::string msg =
                (cause != nullptr ? i18n::said(in.language, Msg::CheckNamed, {cause->sentence}) : std::string()) +
                why(check, o, c, f, in.language);
            std::string text =
                i18n::said(in.language, Msg::CheckJunitText,
                           {check.expect.text, quantifier_words(check.quantifier, in.language), verdict, label, msg});
            for (const auto* l : cause != nullptr ? cause_evidence(f) : connection_evidence(check, c, f))
                text += "  " + format_line(*l) + "\n";
            testcase(name, &msg, text);
        }
        total += tests;
        total_failed += failures;
        body += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
                            xml_escape(check.name), tests, failures);
        body += "    <properties>\n";
        body += "      <property name=\"expect\" value=\"" + xml_escape(check.expect.text) + "\"/>\n";
        body +=
            "      <property name=\"quantifier\" value=\"" + xml_escape(quantifier_text(check.quantifier)) + "\"/>\n";
        body += "      <property name=\"select\" value=\"" + xml_escape(check.select.text()) + "\"/>\n";
        body += "      <property name=\"capture\" value=\"" + xml_escape(capture_line(in.run, in.language)) + "\"/>\n";
        body += "    </properties>\n";
        body += cases;
        body += "  </testsuite>\n";
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", suite_prefix, total,
                       total_failed);
    out += body;
    out += "</testsuites>\n";
    return out;
}

}  // namespace tfx::check
