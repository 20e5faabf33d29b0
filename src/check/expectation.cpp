// Parser of the expectation language (see expectation.hpp for the grammar in brief and
// README.md, section "Checking a capture in CI", for the reference). A hand-written scanner: the grammar is a flat list of
// `field OP value` joined by `and`, so positions for error carets come for free.

#include "check/expectation.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include "content/content_hint.hpp"
#include "i18n/catalogue.hpp"
#include "tfx/conversation.hpp"
#include "tfx/types.hpp"

namespace tfx::check {

using i18n::Msg;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_ident(char c) { return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

FieldInfo make(std::string name, ValueKind kind, Attr attr, Evidence ev, Msg help,
               std::vector<std::string> values = {}) {
    FieldInfo f;
    f.name = std::move(name);
    f.kind = kind;
    f.attr = attr;
    f.evidence = ev;
    f.help = help;
    f.enum_values = std::move(values);
    return f;
}

std::vector<FieldInfo> build_fields() {
    using enum ValueKind;
    std::vector<std::string> handshake_values;
    // Every outcome, in declaration order (Probe is the last).
    for (int h = 0; h <= static_cast<int>(HandshakeOutcome::Probe); ++h)
        handshake_values.emplace_back(to_string(static_cast<HandshakeOutcome>(h)));
    std::vector<std::string> close_values;
    for (auto c : {CloseKind::Graceful, CloseKind::Simultaneous, CloseKind::HalfClosed, CloseKind::ClosingIncomplete,
                   CloseKind::Reset, CloseKind::StillOpen, CloseKind::NeverOpened})
        close_values.emplace_back(to_string(c));

    std::vector<FieldInfo> v;
    v.push_back(make("handshake", Enum, Attr::Handshake, Evidence::Handshake, Msg::FieldHandshake, handshake_values));
    v.push_back(
        make("handshake", FlagSequence, Attr::HandshakeSequence, Evidence::Handshake, Msg::FieldHandshakeSequence));
    v.push_back(make("teardown", FlagSequence, Attr::TeardownSequence, Evidence::Teardown, Msg::FieldTeardownSequence));
    v.push_back(make("close", Enum, Attr::Close, Evidence::Teardown, Msg::FieldClose, close_values));
    v.push_back(
        make("closed_by", Enum, Attr::ClosedBy, Evidence::Teardown, Msg::FieldClosedBy, {"client", "server", "none"}));
    v.push_back(
        make("rst_by", Enum, Attr::RstBy, Evidence::Resets, Msg::FieldRstBy, {"client", "server", "both", "none"}));
    v.push_back(make("end_reason", Enum, Attr::EndReason, Evidence::Ends, Msg::FieldEndReason,
                     {"closed", "end_of_capture", "idle_timeout", "evicted", "port_reuse"}));
    v.push_back(make("conn_state", Enum, Attr::ConnState, Evidence::HandshakeAndTeardown, Msg::FieldConnState,
                     {"S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"}));
    v.push_back(make("history", History, Attr::History, Evidence::HandshakeAndTeardown, Msg::FieldHistory));
    v.push_back(make("rst_count", Count, Attr::RstCount, Evidence::Resets, Msg::FieldRstCount));
    v.push_back(make("fin_count", Count, Attr::FinCount, Evidence::Teardown, Msg::FieldFinCount));
    v.push_back(make("syn_count", Count, Attr::SynCount, Evidence::Handshake, Msg::FieldSynCount));
    {
        auto f = make("retransmissions", Count, Attr::CodeCount, Evidence::Findings, Msg::FieldRetransmissions);
        f.codes = {AnnotationCode::Retransmission, AnnotationCode::FastRetransmission,
                   AnnotationCode::SpuriousRetransmission};
        v.push_back(std::move(f));
    }
    for (int i = 0; i < kAnnotationCodeCount; ++i) {
        const auto code = static_cast<AnnotationCode>(i);
        auto f = make(std::string(code_name(code)), Count, Attr::CodeCount, Evidence::Findings, Msg::FieldCode);
        f.codes = {code};
        v.push_back(std::move(f));
    }
    v.push_back(make("packets", Count, Attr::Packets, Evidence::Ends, Msg::FieldPackets));
    v.push_back(make("client_packets", Count, Attr::ClientPackets, Evidence::Ends, Msg::FieldClientPackets));
    v.push_back(make("server_packets", Count, Attr::ServerPackets, Evidence::Ends, Msg::FieldServerPackets));
    v.push_back(make("bytes", Bytes, Attr::Bytes, Evidence::Ends, Msg::FieldBytes));
    v.push_back(make("client_bytes", Bytes, Attr::ClientBytes, Evidence::Ends, Msg::FieldClientBytes));
    v.push_back(make("server_bytes", Bytes, Attr::ServerBytes, Evidence::Ends, Msg::FieldServerBytes));
    v.push_back(make("payload_bytes", Bytes, Attr::PayloadBytes, Evidence::Ends, Msg::FieldPayloadBytes));
    v.push_back(
        make("client_payload_bytes", Bytes, Attr::ClientPayloadBytes, Evidence::Ends, Msg::FieldClientPayloadBytes));
    v.push_back(
        make("server_payload_bytes", Bytes, Attr::ServerPayloadBytes, Evidence::Ends, Msg::FieldServerPayloadBytes));
    v.push_back(
        make("retransmitted_bytes", Bytes, Attr::RetransmittedBytes, Evidence::Findings, Msg::FieldRetransmittedBytes));
    v.push_back(make("handshake_rtt", Duration, Attr::HandshakeRtt, Evidence::Handshake, Msg::FieldHandshakeRtt));
    v.push_back(make("syn_to_synack", Duration, Attr::SynToSynack, Evidence::Handshake, Msg::FieldSynToSynack));
    v.push_back(make("synack_to_ack", Duration, Attr::SynackToAck, Evidence::Handshake, Msg::FieldSynackToAck));
    v.push_back(make("duration", Duration, Attr::DurationTotal, Evidence::Ends, Msg::FieldDuration));
    v.push_back(make("rtt_min", Duration, Attr::RttMin, Evidence::Ends, Msg::FieldRttMin));
    v.push_back(make("rtt_max", Duration, Attr::RttMax, Evidence::Ends, Msg::FieldRttMax));
    v.push_back(make("rtt_avg", Duration, Attr::RttAvg, Evidence::Ends, Msg::FieldRttAvg));
    v.push_back(make("time_to_first_byte", Duration, Attr::TimeToFirstByte, Evidence::Ends, Msg::FieldTimeToFirstByte));
    v.push_back(make("server_think_max", Duration, Attr::ServerThinkMax, Evidence::Ends, Msg::FieldServerThinkMax));
    v.push_back(make("vantage", Enum, Attr::Vantage, Evidence::Handshake, Msg::FieldVantage,
                     {"near_client", "near_server", "in_between", "unknown"}));
    v.push_back(make("capture_dropped_bytes", Bytes, Attr::CaptureDroppedBytes, Evidence::Findings,
                     Msg::FieldCaptureDroppedBytes));
    v.push_back(
        make("client_stream_bytes", Bytes, Attr::ClientStreamBytes, Evidence::Ends, Msg::FieldClientStreamBytes));
    v.push_back(
        make("server_stream_bytes", Bytes, Attr::ServerStreamBytes, Evidence::Ends, Msg::FieldServerStreamBytes));
    v.push_back(make("missing_bytes", Bytes, Attr::MissingBytes, Evidence::Ends, Msg::FieldMissingBytes));
    v.push_back(make("inconsistent_retransmissions", Count, Attr::InconsistentRetransmissions, Evidence::Ends,
                     Msg::FieldInconsistentRetransmissions));
    v.push_back(make("mss_client", Number, Attr::MssClient, Evidence::Handshake, Msg::FieldMssClient));
    v.push_back(make("mss_server", Number, Attr::MssServer, Evidence::Handshake, Msg::FieldMssServer));
    v.push_back(make("wscale_client", Number, Attr::WscaleClient, Evidence::Handshake, Msg::FieldWscaleClient));
    v.push_back(make("wscale_server", Number, Attr::WscaleServer, Evidence::Handshake, Msg::FieldWscaleServer));
    v.push_back(make("sack", Bool, Attr::Sack, Evidence::Handshake, Msg::FieldSack));
    v.push_back(make("timestamps", Bool, Attr::Timestamps, Evidence::Handshake, Msg::FieldTimestamps));
    v.push_back(make("window_scaling", Bool, Attr::WindowScaling, Evidence::Handshake, Msg::FieldWindowScaling));
    v.push_back(make("sack_client", Bool, Attr::SackClient, Evidence::Handshake, Msg::FieldSackClient));
    v.push_back(make("sack_server", Bool, Attr::SackServer, Evidence::Handshake, Msg::FieldSackServer));
    v.push_back(
        make("timestamps_client", Bool, Attr::TimestampsClient, Evidence::Handshake, Msg::FieldTimestampsClient));
    v.push_back(
        make("timestamps_server", Bool, Attr::TimestampsServer, Evidence::Handshake, Msg::FieldTimestampsServer));
    v.push_back(make("roles_inferred", Bool, Attr::RolesInferred, Evidence::Ends, Msg::FieldRolesInferred));
    v.push_back(make("data_after_close", Bool, Attr::DataAfterClose, Evidence::Teardown, Msg::FieldDataAfterClose));
    std::vector<std::string> kind_values;
    for (int k = 0; k <= static_cast<int>(content::Kind::ImapGreeting); ++k)
        kind_values.emplace_back(content::kind_name(static_cast<content::Kind>(k)));
    v.push_back(
        make("content_client", Enum, Attr::ContentClient, Evidence::Ends, Msg::FieldContentClient, kind_values));
    v.push_back(
        make("content_server", Enum, Attr::ContentServer, Evidence::Ends, Msg::FieldContentServer, kind_values));
    v.push_back(make("tls_sni", Text, Attr::TlsSni, Evidence::Ends, Msg::FieldTlsSni));
    v.push_back(make("tls_version", Text, Attr::TlsVersion, Evidence::Ends, Msg::FieldTlsVersion));
    v.push_back(make("http_method", Text, Attr::HttpMethod, Evidence::Ends, Msg::FieldHttpMethod));
    v.push_back(make("http_target", Text, Attr::HttpTarget, Evidence::Ends, Msg::FieldHttpTarget));
    v.push_back(make("http_status", Number, Attr::HttpStatus, Evidence::Ends, Msg::FieldHttpStatus));
    v.push_back(make("ssh_software", Text, Attr::SshSoftware, Evidence::Ends, Msg::FieldSshSoftware));
    return v;
}

std::vector<std::string> field_names() {
    std::vector<std::string> names;
    for (const auto& f : fields())
        if (std::find(names.begin(), names.end(), f.name) == names.end()) names.push_back(f.name);
    return names;
}

struct FlagName {
    std::string_view name;
    std::uint16_t bit;
};
constexpr std::array<FlagName, 9> kFlagNames{{{"SYN", tcpflag::kSyn},
                                              {"ACK", tcpflag::kAck},
                                              {"FIN", tcpflag::kFin},
                                              {"RST", tcpflag::kRst},
                                              {"PSH", tcpflag::kPsh},
                                              {"URG", tcpflag::kUrg},
                                              {"ECE", tcpflag::kEce},
                                              {"CWR", tcpflag::kCwr},
                                              {"AE", tcpflag::kAe}}};
constexpr std::uint16_t kEcnBits = tcpflag::kEce | tcpflag::kCwr | tcpflag::kAe;

/// The flag bits of one word of a sequence ("FIN-ACK", case-insensitive), or nullopt when a
/// part is not a flag name.
std::optional<std::uint16_t> flag_word_bits(std::string_view word) {
    std::uint16_t bits = 0;
    std::size_t part_start = 0;
    while (part_start <= word.size()) {
        const auto dash = word.find('-', part_start);
        const auto part =
            word.substr(part_start, dash == std::string_view::npos ? std::string_view::npos : dash - part_start);
        std::string upper(part);
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const auto it =
            std::find_if(kFlagNames.begin(), kFlagNames.end(), [&](const FlagName& fn) { return fn.name == upper; });
        if (it == kFlagNames.end()) return std::nullopt;
        bits |= it->bit;
        if (dash == std::string_view::npos) break;
        part_start = dash + 1;
    }
    return bits;
}

/// tcpdump's flag letters ("S.", "[F.]", "R") as bits, or nullopt when `word` is not made of them.
std::optional<std::uint16_t> tcpdump_flag_bits(std::string_view word) {
    if (word.size() >= 2 && word.front() == '[' && word.back() == ']') word = word.substr(1, word.size() - 2);
    if (word.empty()) return std::nullopt;
    std::uint16_t bits = 0;
    for (const char c : word) {
        switch (c) {
            case 'S': bits |= tcpflag::kSyn; break;
            case 'F': bits |= tcpflag::kFin; break;
            case 'R': bits |= tcpflag::kRst; break;
            case 'P': bits |= tcpflag::kPsh; break;
            case 'U': bits |= tcpflag::kUrg; break;
            case 'E': bits |= tcpflag::kEce; break;
            case 'W': bits |= tcpflag::kCwr; break;
            case '.': bits |= tcpflag::kAck; break;
            default: return std::nullopt;
        }
    }
    return bits;
}

/// The sequence word meant by an unknown `word`: tcpdump's letters ("F." is FIN-ACK), flag
/// names joined by another separator ("fin/ack", "SYN+ACK", "fin_ack", "FIN,ACK"), else the
/// closest common word. Empty when nothing is close.
std::string flag_word_hint(std::string_view word) {
    if (const auto bits = tcpdump_flag_bits(word)) return flags_to_words(*bits);
    std::string dashed(word);
    for (auto& c : dashed)
        if (c == '/' || c == '+' || c == '_' || c == ',' || c == '|') c = '-';
    if (const auto bits = flag_word_bits(dashed)) return flags_to_words(*bits);
    static const std::vector<std::string> kCommon{"SYN", "SYN-ACK", "ACK",         "FIN-ACK", "PSH-ACK",
                                                  "RST", "RST-ACK", "FIN-PSH-ACK", "none"};
    std::string upper(word);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return did_you_mean(upper, kCommon);
}

/// The word with `bits` is a lone ACK right after a FIN or PSH word without ACK: how people
/// write "FIN ACK" when they mean the one segment FIN-ACK.
bool split_from_ack(const Predicate& p, std::uint16_t bits, std::string_view word) {
    if (bits != tcpflag::kAck || word.find('-') != std::string_view::npos || p.sequence.empty()) return false;
    const FlagToken& prev = p.sequence.back();
    constexpr std::uint16_t kDataOrClose = tcpflag::kFin | tcpflag::kPsh;
    return prev.kind == FlagToken::Kind::Exact && (prev.flags & kDataOrClose) != 0 &&
           (prev.flags & (tcpflag::kAck | tcpflag::kSyn | tcpflag::kRst)) == 0;
}

/// Scanner over one expectation; every error names a byte range of `text_`.
class Parser {
public:
    Parser(std::string_view text, Language lang) : text_(text), lang_(lang) {}

    Parsed<Expectation> run() {
        Expectation out;
        out.text = std::string(text_);
        skip_space();
        if (at_end()) return fail(Msg::ExpectEmpty, {}, 0, std::max<std::size_t>(1, text_.size()));
        for (;;) {
            auto term = predicate();
            if (auto* e = std::get_if<SourceError>(&term)) return *e;
            out.terms.push_back(std::move(std::get<Predicate>(term)));
            skip_space();
            if (at_end()) break;
            const std::size_t word_pos = pos_;
            const auto word = read_word();
            if (word != "and")
                return fail(Msg::ExpectAndBetween, {word}, word_pos, std::max<std::size_t>(1, word.size()));
            skip_space();
            if (at_end()) return fail(Msg::ExpectPredicateAfterAnd, {}, word_pos, word.size());
        }
        return out;
    }

private:
    Parsed<Predicate> predicate() {
        Predicate p;
        p.pos = pos_;
        const std::size_t field_pos = pos_;
        if (!is_ident_start(peek())) return fail(Msg::ExpectFieldName, {}, pos_, token_len());
        while (!at_end() && is_ident(peek())) ++pos_;
        const auto name = text_.substr(field_pos, pos_ - field_pos);
        const FieldInfo* field = find_field(name);
        if (field == nullptr) {
            std::string hint = did_you_mean_hint(lang_, name, field_names());
            if (hint.empty()) hint = i18n::said(lang_, Msg::ExpectListFieldsHint);
            return fail(Msg::ExpectUnknownField, {name, hint}, field_pos, name.size());
        }
        skip_space();
        const std::size_t op_pos = pos_;
        auto op = read_op();
        if (!op) {
            if (peek() == '=') return fail(Msg::ExpectUseEqEq, {}, op_pos, 1);
            return fail(Msg::ExpectOperatorAfter, {name}, op_pos, token_len());
        }
        p.op = *op;
        const std::size_t op_len = pos_ - op_pos;
        if ((p.op == Op::Match || p.op == Op::NotMatch) && field->kind == ValueKind::Enum &&
            field->attr == Attr::Handshake)
            field = &*std::find_if(fields().begin(), fields().end(), [](const FieldInfo& fi) {
                return fi.attr == Attr::HandshakeSequence;  // `handshake ~ "..."`: the phase's flags
            });
        p.field = field;
        if (auto e = check_op(*field, p.op, op_pos, op_len)) return *e;

        skip_space();
        if (at_end()) return fail(Msg::ExpectValueAfter, {op_text(p.op)}, op_pos, op_len);
        if (auto e = value(p)) return *e;
        p.text = std::string(trim(text_.substr(p.pos, pos_ - p.pos)));
        return p;
    }

    std::optional<SourceError> check_op(const FieldInfo& f, Op op, std::size_t pos, std::size_t len) const {
        const bool ordering = op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
        const bool match = op == Op::Match || op == Op::NotMatch;
        const auto wrong = [&](std::string_view legal) {
            return fail(Msg::ExpectOperatorUse, {op_text(op), f.name, kind_name(f.kind, lang_), legal}, pos, len);
        };
        switch (f.kind) {
            case ValueKind::Count:
            case ValueKind::Bytes:
            case ValueKind::Duration:
            case ValueKind::Number:
                if (match) return wrong("== != < <= > >=");
                return std::nullopt;
            case ValueKind::Bool:
            case ValueKind::Enum:
                if (ordering || match) return wrong(i18n::word(lang_, Msg::ExpectEqualOrNotEqual));
                return std::nullopt;
            case ValueKind::History:
            case ValueKind::Text:
                if (ordering) return wrong("== != ~ !~");
                return std::nullopt;
            case ValueKind::FlagSequence:
                if (!match) {
                    std::string msg =
                        i18n::said(lang_, Msg::ExpectOperatorSequence, {op_text(op), f.name, kind_name(f.kind, lang_)});
                    if (f.attr == Attr::TeardownSequence) msg += i18n::said(lang_, Msg::ExpectTeardownUseClose);
                    return SourceError{msg, pos, len};
                }
                return std::nullopt;
        }
        return std::nullopt;
    }

    /// Reads the value into `p`, advancing past it.
    std::optional<SourceError> value(Predicate& p) {
        const FieldInfo& f = *p.field;
        const std::size_t vpos = pos_;
        std::string raw;
        std::size_t content_pos = pos_;
        if (peek() == '"' || peek() == '\'') {
            const char q = peek();
            ++pos_;
            content_pos = pos_;
            while (!at_end() && peek() != q) ++pos_;
            if (at_end()) return fail(Msg::ExpectUnterminatedQuote, {}, vpos, pos_ - vpos);
            raw = std::string(text_.substr(content_pos, pos_ - content_pos));
            ++pos_;
            p.value_text = std::string(text_.substr(vpos, pos_ - vpos));
            return quoted_value(p, raw, content_pos);
        }
        if (f.kind == ValueKind::FlagSequence) return fail(Msg::ExpectQuoteSequence, {f.name}, vpos, token_len());
        // Bare value: a word; enums and history take `a|b` alternatives (spaces allowed
        // around `|`); numbers take a unit glued on or after one space.
        std::vector<std::pair<std::string, std::size_t>> words;
        for (;;) {
            const std::size_t wpos = pos_;
            const auto w = read_value_word();
            if (w.empty()) return fail(Msg::ExpectValue, {}, wpos, token_len());
            words.emplace_back(std::string(w), wpos);
            const std::size_t save = pos_;
            skip_space();
            if (peek() == '|') {
                ++pos_;
                skip_space();
                continue;
            }
            pos_ = save;
            break;
        }
        if (words.size() > 1 && f.kind != ValueKind::Enum && f.kind != ValueKind::History && f.kind != ValueKind::Text)
            return fail(Msg::ExpectAlternatives, {}, vpos, pos_ - vpos);
        if (f.kind == ValueKind::Duration || f.kind == ValueKind::Bytes) {
            // "5 ms": a unit after one space.
            const std::size_t save = pos_;
            skip_space();
            const std::size_t upos = pos_;
            const auto unit = read_value_word();
            const bool digits_only =
                !words[0].first.empty() && std::all_of(words[0].first.begin(), words[0].first.end(),
                                                       [](char c) { return is_digit(c) || c == '.'; });
            if (digits_only && !unit.empty() && is_unit(f.kind, unit)) {
                words[0].first += std::string(unit);
                (void)upos;
            } else {
                pos_ = save;
            }
        }
        p.value_text = std::string(text_.substr(vpos, pos_ - vpos));
        return bare_value(p, words);
    }

    // Patterns are matched by RE2, in time linear in the history whatever the pattern (a
    // backtracking engine such as std::regex took exponential time on "d*****...", and read
    // {m,n} counts without an overflow check: both found by fuzz_expectations). Only what
    // makes sense for a history of letters is accepted: letters, ^ $ . * + ? ( ) [ ] | - ,
    // and {m,n} with counts below 1000; the only escape is \^ (Zeek's "roles flipped").
    std::optional<std::string> unsafe_history_pattern(std::string_view re) const {
        int digits_in_count = 0;
        bool in_braces = false;
        for (std::size_t i = 0; i < re.size(); ++i) {
            const char c = re[i];
            if (c == '\\') {
                if (i + 1 < re.size() && re[i + 1] == '^') {
                    ++i;
                    continue;
                }
                return i18n::said(lang_, Msg::ExpectHistoryEscape);
            }
            if (c == '{') in_braces = true;
            if (c == '}') in_braces = false;
            if (in_braces && c >= '0' && c <= '9') {
                if (++digits_in_count > 3) return i18n::said(lang_, Msg::ExpectHistoryRepeat);
            } else {
                digits_in_count = 0;
            }
            const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            const bool digit = c >= '0' && c <= '9';
            if (!letter && !(digit && in_braces) &&
                std::string_view("^$.*+?()[]|{},-").find(c) == std::string_view::npos)
                return i18n::said(lang_, Msg::ExpectHistoryChar, {std::string_view(&re[i], 1)});
        }
        return std::nullopt;
    }

    // `none` (an absent value) only makes sense with == and !=.
    std::optional<SourceError> accept_none(Predicate& p, std::size_t wpos, std::size_t wlen) const {
        if (p.op != Op::Eq && p.op != Op::Ne) return fail(Msg::ExpectNoneOperator, {}, wpos, wlen);
        p.none = true;
        return std::nullopt;
    }

    // A count or plain number: digits only, no unit, no fraction.
    std::optional<SourceError> whole_number(Predicate& p, const std::string& w, std::size_t wpos, std::size_t wlen,
                                            Msg unit_error, Msg fraction_error) {
        auto n = parse_number(w, wpos);
        if (auto* e = std::get_if<SourceError>(&n)) return *e;
        auto& [value, unit] = std::get<NumberText>(n);
        const std::string& name = p.field->name;
        if (!unit.empty()) return fail(unit_error, {name, unit}, wpos, wlen);
        if (value.frac_digits > 0) return fail(fraction_error, {name}, wpos, wlen);
        p.number = value.whole;
        return std::nullopt;
    }

    static bool is_unit(ValueKind kind, std::string_view u) {
        static const std::vector<std::string> kDur{"ns", "us", "ms", "s"};
        static const std::vector<std::string> kBytes{"B", "KB", "MB", "GB", "KiB", "MiB", "GiB"};
        const auto& list = kind == ValueKind::Duration ? kDur : kBytes;
        return std::find(list.begin(), list.end(), u) != list.end();
    }

    std::optional<SourceError> quoted_value(Predicate& p, const std::string& raw, std::size_t cpos) {
        const FieldInfo& f = *p.field;
        if (f.kind == ValueKind::FlagSequence) return flag_sequence(p, raw, cpos);
        if (f.kind == ValueKind::History || f.kind == ValueKind::Text) {
            if (p.op == Op::Match || p.op == Op::NotMatch) {
                // A text from the wire may hold any character: its patterns are RE2's whole
                // syntax, which RE2 matches in linear time and bounds in memory (ok() fails).
                if (auto unsafe = f.kind == ValueKind::History ? unsafe_history_pattern(raw) : std::nullopt)
                    return SourceError{*unsafe, cpos, std::max<std::size_t>(1, raw.size())};
                RE2::Options options;
                options.set_log_errors(false);
                auto re = std::make_shared<const RE2>(raw, options);
                if (!re->ok())
                    return fail(Msg::ExpectBadRegex, {re->error()}, cpos, std::max<std::size_t>(1, raw.size()));
                p.regex = std::move(re);
                p.pattern = raw;
                return std::nullopt;
            }
            if (f.kind == ValueKind::Text) {
                p.names.push_back(raw);
                return std::nullopt;
            }
            return history_literal(p, {{raw, cpos}});
        }
        // Other kinds accept quotes around an ordinary word ("graceful").
        std::vector<std::pair<std::string, std::size_t>> words;
        std::size_t start = 0;
        for (;;) {
            const auto bar = raw.find('|', start);
            auto w =
                trim(std::string_view(raw).substr(start, bar == std::string::npos ? std::string::npos : bar - start));
            const std::size_t offset = static_cast<std::size_t>(w.data() - raw.data());
            words.emplace_back(std::string(w), cpos + offset);
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        return bare_value(p, words);
    }

    std::optional<SourceError> bare_value(Predicate& p, const std::vector<std::pair<std::string, std::size_t>>& words) {
        const FieldInfo& f = *p.field;
        const auto& [w, wpos] = words.front();
        const std::size_t wlen = std::max<std::size_t>(1, w.size());
        switch (f.kind) {
            case ValueKind::Count: return whole_number(p, w, wpos, wlen, Msg::ExpectCountUnit, Msg::ExpectCountWhole);
            case ValueKind::Number:
                if (w == "none") return accept_none(p, wpos, wlen);
                return whole_number(p, w, wpos, wlen, Msg::ExpectNumberUnit, Msg::ExpectNumberWhole);
            case ValueKind::Duration:
            case ValueKind::Bytes: {
                if (w == "none" && f.kind == ValueKind::Duration) return accept_none(p, wpos, wlen);
                auto n = parse_number(w, wpos);
                if (auto* e = std::get_if<SourceError>(&n)) return *e;
                auto& [value, unit] = std::get<NumberText>(n);
                return scale(p, value, unit, wpos, wlen);
            }
            case ValueKind::Bool:
                if (w == "true")
                    p.boolean = true;
                else if (w == "false")
                    p.boolean = false;
                else
                    return fail(Msg::ExpectBoolean, {f.name, w}, wpos, wlen);
                return std::nullopt;
            case ValueKind::Enum:
                for (const auto& [word, pos] : words) {
                    if (std::find(f.enum_values.begin(), f.enum_values.end(), word) == f.enum_values.end()) {
                        return fail(
                            Msg::ExpectUnknownValue,
                            {f.name, word, did_you_mean_hint(lang_, word, f.enum_values), join(f.enum_values, ", ")},
                            pos, std::max<std::size_t>(1, word.size()));
                    }
                    p.names.push_back(word);
                }
                return std::nullopt;
            case ValueKind::History:
                if (p.op == Op::Match || p.op == Op::NotMatch)
                    return fail(Msg::ExpectQuoteRegex, {"history", "^ShAD"}, wpos, wlen);
                return history_literal(p, words);
            case ValueKind::Text:
                if (p.op == Op::Match || p.op == Op::NotMatch)
                    return fail(Msg::ExpectQuoteRegex, {f.name, "^example"}, wpos, wlen);
                for (const auto& [word, pos] : words) p.names.push_back(word);
                return std::nullopt;
            case ValueKind::FlagSequence: break;
        }
        return fail(Msg::ExpectUnexpectedValue, {}, wpos, wlen);
    }

    std::optional<SourceError> history_literal(Predicate& p,
                                               const std::vector<std::pair<std::string, std::size_t>>& words) {
        // Zeek history letters (base/protocols/conn/main.zeek), upper case for the originator.
        static constexpr std::string_view kLetters = "ShADFRCGTWIQshadfrcgtwiq^";
        for (const auto& [word, pos] : words) {
            for (std::size_t i = 0; i < word.size(); ++i)
                if (kLetters.find(word[i]) == std::string_view::npos)
                    return fail(Msg::ExpectHistoryLetter, {std::string_view(&word[i], 1)}, pos + i, 1);
            p.names.push_back(word);
        }
        return std::nullopt;
    }

    std::optional<SourceError> flag_sequence(Predicate& p, const std::string& raw, std::size_t cpos) {
        std::size_t i = 0;
        std::size_t prev_word_pos = 0;
        while (i < raw.size()) {
            while (i < raw.size() && is_space(raw[i])) ++i;
            if (i >= raw.size()) break;
            const std::size_t start = i;
            while (i < raw.size() && !is_space(raw[i])) ++i;
            const std::string_view tok(raw.data() + start, i - start);
            FlagToken t;
            if (tok == "*") {
                t.kind = FlagToken::Kind::AnyRun;
            } else if (tok == "?") {
                t.kind = FlagToken::Kind::AnyOne;
            } else if (tok == "none") {
                t.flags = 0;
            } else {
                const auto bits = flag_word_bits(tok);
                if (!bits) {
                    return fail(Msg::ExpectUnknownFlagWord, {tok, suggestion_hint(lang_, flag_word_hint(tok))},
                                cpos + start, tok.size());
                }
                if (split_from_ack(p, *bits, tok)) {
                    // A FIN or PSH without ACK then a lone ACK: after the handshake every segment
                    // carries ACK (RFC 9293, 3.10.7.4), so this names one segment as two.
                    const FlagToken& prev = p.sequence.back();
                    const std::size_t prev_pos = prev_word_pos;
                    const std::string joined = flag_words(prev.flags | tcpflag::kAck);
                    return fail(Msg::ExpectSplitAck, {flag_words(prev.flags), suggestion_hint(lang_, joined)},
                                cpos + prev_pos, start + tok.size() - prev_pos);
                }
                t.flags = *bits;
                t.ecn_significant = (*bits & kEcnBits) != 0;
            }
            prev_word_pos = start;
            p.sequence.push_back(t);
        }
        if (p.sequence.empty()) return fail(Msg::ExpectEmptySequence, {}, cpos > 0 ? cpos - 1 : 0, 2);
        return std::nullopt;
    }

    struct Decimal {
        std::int64_t whole = 0;
        std::int64_t frac = 0;
        int frac_digits = 0;
    };
    struct NumberText {
        Decimal value;
        std::string unit;
    };

    Parsed<NumberText> parse_number(const std::string& w, std::size_t wpos) const {
        const std::size_t wlen = std::max<std::size_t>(1, w.size());
        if (!w.empty() && w[0] == '-') return fail(Msg::ExpectNegative, {}, wpos, wlen);
        std::size_t i = 0;
        NumberText out;
        while (i < w.size() && is_digit(w[i])) {
            if (out.value.whole > 99'999'999'999'999LL) return fail(Msg::ExpectTooLarge, {}, wpos, wlen);
            out.value.whole = out.value.whole * 10 + (w[i] - '0');
            ++i;
        }
        if (i == 0) return fail(Msg::ExpectNumber, {w}, wpos, wlen);
        if (i < w.size() && w[i] == '.') {
            ++i;
            const std::size_t fstart = i;
            while (i < w.size() && is_digit(w[i])) {
                if (out.value.frac_digits >= 9) return fail(Msg::ExpectDecimalPlaces, {}, wpos, wlen);
                out.value.frac = out.value.frac * 10 + (w[i] - '0');
                ++out.value.frac_digits;
                ++i;
            }
            if (i == fstart) return fail(Msg::ExpectDigitsAfterPoint, {}, wpos + i - 1, 1);
        }
        out.unit = w.substr(i);
        return out;
    }

    std::optional<SourceError> scale(Predicate& p, const Decimal& d, const std::string& unit, std::size_t wpos,
                                     std::size_t wlen) const {
        const FieldInfo& f = *p.field;
        const std::size_t upos = wpos + (wlen - unit.size());
        std::int64_t factor = 1;
        if (f.kind == ValueKind::Duration) {
            static const std::vector<std::string> kUnits{"ns", "us", "ms", "s"};
            if (unit.empty()) return fail(Msg::ExpectDurationUnit, {f.name, d.whole}, wpos, wlen);
            if (unit == "ns")
                factor = 1;
            else if (unit == "us")
                factor = 1'000;
            else if (unit == "ms")
                factor = 1'000'000;
            else if (unit == "s")
                factor = 1'000'000'000;
            else {
                return fail(Msg::ExpectUnknownDurationUnit, {unit, did_you_mean_hint(lang_, unit, kUnits)}, upos,
                            unit.size());
            }
        } else {
            static const std::vector<std::string> kUnits{"B", "KB", "MB", "GB", "KiB", "MiB", "GiB"};
            if (unit.empty() || unit == "B")
                factor = 1;
            else if (unit == "KB")
                factor = 1'000;
            else if (unit == "MB")
                factor = 1'000'000;
            else if (unit == "GB")
                factor = 1'000'000'000;
            else if (unit == "KiB")
                factor = 1LL << 10;
            else if (unit == "MiB")
                factor = 1LL << 20;
            else if (unit == "GiB")
                factor = 1LL << 30;
            else {
                return fail(Msg::ExpectUnknownByteUnit, {unit, did_you_mean_hint(lang_, unit, kUnits)}, upos,
                            unit.size());
            }
        }
        if (d.whole > (INT64_MAX / factor) - 1) return fail(Msg::ExpectTooLarge, {}, wpos, wlen);
        std::int64_t pow10 = 1;
        for (int i = 0; i < d.frac_digits; ++i) pow10 *= 10;
        // Fractions are exact or rejected: 1.5ms is 1500000 ns, 1.5B is no byte count.
        if ((d.frac * factor) % pow10 != 0)
            return fail(f.kind == ValueKind::Duration ? Msg::ExpectFinerThanNs : Msg::ExpectWholeBytes, {}, wpos, wlen);
        p.number = d.whole * factor + d.frac * factor / pow10;
        return std::nullopt;
    }

    std::optional<Op> read_op() {
        const auto rest = text_.substr(pos_);
        static constexpr std::array<std::pair<std::string_view, Op>, 8> kOps{{{"==", Op::Eq},
                                                                              {"!=", Op::Ne},
                                                                              {"<=", Op::Le},
                                                                              {">=", Op::Ge},
                                                                              {"!~", Op::NotMatch},
                                                                              {"<", Op::Lt},
                                                                              {">", Op::Gt},
                                                                              {"~", Op::Match}}};
        for (const auto& [s, op] : kOps)
            if (rest.substr(0, s.size()) == s) {
                pos_ += s.size();
                return op;
            }
        return std::nullopt;
    }

    std::string_view read_word() {
        const std::size_t start = pos_;
        while (!at_end() && !is_space(peek())) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    std::string_view read_value_word() {
        const std::size_t start = pos_;
        while (!at_end() && !is_space(peek()) && peek() != '|') ++pos_;
        return text_.substr(start, pos_ - start);
    }

    std::size_t token_len() const {
        std::size_t i = pos_;
        while (i < text_.size() && !is_space(text_[i])) ++i;
        return std::max<std::size_t>(1, i - pos_);
    }

    static std::string_view trim(std::string_view s) {
        while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
        while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
        return s;
    }

    void skip_space() {
        while (!at_end() && is_space(peek())) ++pos_;
    }
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }

    /// The error `id` in the parser's language, about [pos, pos + len).
    SourceError fail(Msg id, std::initializer_list<i18n::Arg> args, std::size_t pos, std::size_t len) const {
        return SourceError{i18n::said(lang_, id, args), pos, len};
    }

    std::string_view text_;
    Language lang_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string format_source_error(std::string_view where, std::string_view text, const SourceError& error,
                                Language lang) {
    std::string out = where.empty() ? error.message : i18n::said(lang, Msg::SourceErrorWhere, {where, error.message});
    out += "\n  ";
    // Control characters would break the caret alignment: show them as spaces.
    for (char c : text) out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    out += "\n  ";
    const std::size_t pos = std::min(error.pos, text.size());
    out.append(pos, ' ');
    out += '^';
    const std::size_t len = std::max<std::size_t>(1, error.len);
    if (len > 1) out.append(len - 1, '~');
    return out;
}

std::string_view op_text(Op op) {
    switch (op) {
        case Op::Eq: return "==";
        case Op::Ne: return "!=";
        case Op::Lt: return "<";
        case Op::Le: return "<=";
        case Op::Gt: return ">";
        case Op::Ge: return ">=";
        case Op::Match: return "~";
        case Op::NotMatch: return "!~";
    }
    return "?";
}

std::string_view kind_name(ValueKind kind, Language lang) {
    switch (kind) {
        case ValueKind::Count: return i18n::word(lang, Msg::KindCount);
        case ValueKind::Bytes: return i18n::word(lang, Msg::KindBytes);
        case ValueKind::Duration: return i18n::word(lang, Msg::KindDuration);
        case ValueKind::Number: return i18n::word(lang, Msg::KindNumber);
        case ValueKind::Bool: return i18n::word(lang, Msg::KindBool);
        case ValueKind::Enum: return i18n::word(lang, Msg::KindEnum);
        case ValueKind::History: return i18n::word(lang, Msg::KindHistory);
        case ValueKind::Text: return i18n::word(lang, Msg::KindText);
        case ValueKind::FlagSequence: return i18n::word(lang, Msg::KindFlagSequence);
    }
    return "?";
}

bool reads_content(Attr attr) {
    switch (attr) {
        case Attr::ContentClient:
        case Attr::ContentServer:
        case Attr::TlsSni:
        case Attr::TlsVersion:
        case Attr::HttpMethod:
        case Attr::HttpTarget:
        case Attr::HttpStatus:
        case Attr::SshSoftware: return true;
        default: return false;
    }
}

const std::vector<FieldInfo>& fields() {
    static const std::vector<FieldInfo> kFields = build_fields();
    return kFields;
}

const FieldInfo* find_field(std::string_view name) {
    for (const auto& f : fields())
        if (f.name == name) return &f;
    return nullptr;
}

bool reads_streams(Attr attr) {
    return attr == Attr::ClientStreamBytes || attr == Attr::ServerStreamBytes || attr == Attr::MissingBytes ||
           attr == Attr::InconsistentRetransmissions;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = 3;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    if (!best.empty()) return best;
    if (word.size() >= 3)
        for (const auto& c : candidates)
            if (c.size() > word.size() && std::string_view(c).substr(0, word.size()) == word) return c;
    return {};
}

std::string field_help(const FieldInfo& field, Language lang) {
    if (field.help == Msg::FieldCode) return i18n::said(lang, Msg::FieldCode, {field.name});
    return i18n::said(lang, field.help);
}

std::string suggestion_hint(Language lang, std::string_view suggestion) {
    if (suggestion.empty()) return {};
    return i18n::said(lang, Msg::DidYouMean, {suggestion});
}

std::string did_you_mean_hint(Language lang, std::string_view word, const std::vector<std::string>& candidates) {
    return suggestion_hint(lang, did_you_mean(word, candidates));
}

Parsed<Expectation> parse_expectation(std::string_view text, Language lang) { return Parser(text, lang).run(); }

std::string flag_words(std::uint16_t flags) { return flags_to_words(flags); }

namespace {
bool token_matches(const FlagToken& t, std::uint16_t flags) {
    if (t.kind != FlagToken::Kind::Exact) return true;
    if (t.ecn_significant) return t.flags == flags;
    return t.flags == (flags & ~kEcnBits);
}
}  // namespace

bool sequence_matches(const std::vector<FlagToken>& pattern, const std::vector<std::uint16_t>& observed) {
    // Classic glob matching with one backtrack point for `*`; linear in practice.
    std::size_t p = 0, o = 0, star_p = std::string::npos, star_o = 0;
    while (o < observed.size()) {
        if (p < pattern.size() && pattern[p].kind == FlagToken::Kind::AnyRun) {
            star_p = p++;
            star_o = o;
        } else if (p < pattern.size() && token_matches(pattern[p], observed[o])) {
            ++p;
            ++o;
        } else if (star_p != std::string::npos) {
            p = star_p + 1;
            o = ++star_o;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p].kind == FlagToken::Kind::AnyRun) ++p;
    return p == pattern.size();
}

}  // namespace tfx::check
