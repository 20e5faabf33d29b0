#include "check/evaluate.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <variant>

#include "content/content_hint.hpp"
#include "content/describe.hpp"
#include "core/saturating.hpp"
#include "i18n/catalogue.hpp"

namespace tfx::check {

namespace {

/// A field's value on one connection: absent, a number (ns for durations), a bool, a
/// name, or a flag sequence.
struct Observed {
    std::variant<std::monostate, std::int64_t, bool, std::string, const std::vector<std::uint16_t>*> v;
    bool truncated = false;  ///< flag sequence longer than what was kept
};

std::optional<std::int64_t> ns(const std::optional<Duration>& d) {
    if (!d) return std::nullopt;
    return d->count();
}

Observed observe(const FieldInfo& field, const ConnectionFacts& f) {
    const ConversationSummary& s = f.summary;
    const DirectionStats& c = s.dir[0];
    const DirectionStats& sv = s.dir[1];
    auto num = [](auto x) { return Observed{static_cast<std::int64_t>(x)}; };
    auto opt = [](auto o) -> Observed {
        if (!o) return Observed{};
        return Observed{static_cast<std::int64_t>(*o)};
    };
    auto rtt = [&](int which) -> Observed {
        const std::uint32_t n = c.rtt_samples + sv.rtt_samples;
        if (n == 0) return Observed{};
        if (which == 2) return Observed{saturating_add(c.rtt_sum, sv.rtt_sum).count() / n};
        std::optional<Duration> best;
        for (const auto* d : {&c, &sv}) {
            if (d->rtt_samples == 0) continue;
            const Duration v = which == 0 ? d->rtt_min : d->rtt_max;
            if (!best || (which == 0 ? v < *best : v > *best)) best = v;
        }
        return Observed{best->count()};
    };
    // A stream count of one direction (0: the client's, 1: the server's) or of both; none
    // when the streams were not rebuilt.
    auto stream = [&s](auto count, std::optional<std::size_t> only = std::nullopt) -> Observed {
        if (!s.stream) return Observed{};
        if (only) return Observed{static_cast<std::int64_t>(count((*s.stream)[*only]))};
        return Observed{static_cast<std::int64_t>(count((*s.stream)[0]) + count((*s.stream)[1]))};
    };
    switch (field.attr) {
        case Attr::Handshake: return Observed{std::string(to_string(s.handshake))};
        case Attr::Close: return Observed{std::string(to_string(s.close))};
        case Attr::ClosedBy: return Observed{s.closed_by ? std::string(to_string(*s.closed_by)) : std::string("none")};
        case Attr::RstBy: {
            const bool by_c = c.rsts > 0, by_s = sv.rsts > 0;
            return Observed{std::string(by_c && by_s ? "both" : by_c ? "client" : by_s ? "server" : "none")};
        }
        case Attr::EndReason: return Observed{s.end_reason};
        case Attr::ConnState: return Observed{s.conn_state};
        case Attr::History: return Observed{s.history};
        case Attr::HandshakeSequence: {
            Observed o{&f.handshake_flags};
            o.truncated = f.handshake_flags_truncated;
            return o;
        }
        case Attr::TeardownSequence: {
            Observed o{&f.teardown_flags};
            o.truncated = f.teardown_flags_truncated;
            return o;
        }
        case Attr::Sack: return Observed{c.sack_permitted && sv.sack_permitted};
        case Attr::Timestamps: return Observed{c.timestamps && sv.timestamps};
        case Attr::WindowScaling: return Observed{c.window_scale.has_value() && sv.window_scale.has_value()};
        case Attr::SackClient: return Observed{c.sack_permitted};
        case Attr::SackServer: return Observed{sv.sack_permitted};
        case Attr::TimestampsClient: return Observed{c.timestamps};
        case Attr::TimestampsServer: return Observed{sv.timestamps};
        case Attr::RolesInferred: return Observed{s.roles_inferred};
        case Attr::DataAfterClose: return Observed{s.data_after_close};
        case Attr::Packets: return num(c.packets + sv.packets);
        case Attr::ClientPackets: return num(c.packets);
        case Attr::ServerPackets: return num(sv.packets);
        case Attr::RstCount: return num(c.rsts + sv.rsts);
        case Attr::FinCount: return num(c.fins + sv.fins);
        case Attr::SynCount: return num(c.syns + sv.syns);
        case Attr::CodeCount: {
            std::int64_t n = 0;
            for (auto code : field.codes) n += s.count(code);
            return Observed{n};
        }
        // "bytes" counts each sequence number once (what the text and --summary call bytes);
        // "payload_bytes" what the capture carried, retransmissions included.
        case Attr::Bytes: return num(c.unique_bytes + sv.unique_bytes);
        case Attr::ClientBytes: return num(c.unique_bytes);
        case Attr::ServerBytes: return num(sv.unique_bytes);
        case Attr::PayloadBytes: return num(c.payload_bytes + sv.payload_bytes);
        case Attr::ClientPayloadBytes: return num(c.payload_bytes);
        case Attr::ServerPayloadBytes: return num(sv.payload_bytes);
        case Attr::RetransmittedBytes: return num(c.retransmitted_bytes + sv.retransmitted_bytes);
        case Attr::HandshakeRtt: return opt(ns(s.handshake_rtt));
        case Attr::SynToSynack: return opt(ns(s.syn_to_synack));
        case Attr::SynackToAck: return opt(ns(s.synack_to_ack));
        case Attr::DurationTotal: return num(s.duration().count());
        case Attr::RttMin: return rtt(0);
        case Attr::RttMax: return rtt(1);
        case Attr::RttAvg: return rtt(2);
        case Attr::MssClient: return opt(c.mss);
        case Attr::MssServer: return opt(sv.mss);
        case Attr::WscaleClient: return opt(c.window_scale);
        case Attr::WscaleServer: return opt(sv.window_scale);
        case Attr::TimeToFirstByte: return opt(ns(s.time_to_first_byte));
        case Attr::ServerThinkMax: return s.exchanges > 0 ? num(s.server_think_max.count()) : Observed{};
        case Attr::Vantage: return Observed{std::string(to_string(s.vantage))};
        case Attr::CaptureDroppedBytes: return num(c.capture_dropped_bytes + sv.capture_dropped_bytes);
        case Attr::ClientStreamBytes: return stream([](const StreamStats& st) { return st.delivered_bytes; }, 0);
        case Attr::ServerStreamBytes: return stream([](const StreamStats& st) { return st.delivered_bytes; }, 1);
        case Attr::MissingBytes: return stream([](const StreamStats& st) { return st.missing_bytes; });
        case Attr::InconsistentRetransmissions:
            return stream([](const StreamStats& st) { return st.inconsistent_retransmissions; });
        case Attr::ContentClient:
            return Observed{std::string(content::kind_name(content::hint_of(s.content_hints.get(), 0).kind))};
        case Attr::ContentServer:
            return Observed{std::string(content::kind_name(content::hint_of(s.content_hints.get(), 1).kind))};
        case Attr::TlsSni:
            return Observed{content::shown_text(content::hint_of(s.content_hints.get(), 0).tls.server_name.bytes)};
        case Attr::TlsVersion: {
            const content::ContentHint& server = content::hint_of(s.content_hints.get(), 1);
            if (server.kind != content::Kind::TlsServerHello || server.tls.version == 0) return Observed{std::string()};
            return Observed{content::tls_version_name(server.tls.version)};
        }
        case Attr::HttpMethod:
            return Observed{content::shown_text(content::hint_of(s.content_hints.get(), 0).http.method.bytes)};
        case Attr::HttpTarget:
            return Observed{content::shown_text(content::hint_of(s.content_hints.get(), 0).http.target.bytes)};
        case Attr::HttpStatus: {
            const content::ContentHint& server = content::hint_of(s.content_hints.get(), 1);
            if (server.kind != content::Kind::HttpResponse || server.http.status == 0) return Observed{};
            return num(server.http.status);
        }
        case Attr::SshSoftware: {
            const content::ContentHint& server = content::hint_of(s.content_hints.get(), 1);
            if (server.kind != content::Kind::SshBanner) return Observed{std::string()};
            return Observed{content::shown_text(server.ssh.software.bytes)};
        }
    }
    return Observed{};
}

std::string render(const FieldInfo& field, const Observed& o) {
    if (std::holds_alternative<std::monostate>(o.v)) return "none";
    if (const auto* b = std::get_if<bool>(&o.v)) return *b ? "true" : "false";
    if (const auto* s = std::get_if<std::string>(&o.v)) return s->empty() ? "\"\"" : *s;
    if (const auto* seq = std::get_if<const std::vector<std::uint16_t>*>(&o.v)) {
        std::string out;
        for (auto flags : **seq) {
            if (!out.empty()) out += ' ';
            out += flag_words(flags);
        }
        if (o.truncated) out += " ...";
        return out.empty() ? "(no segments)" : "\"" + out + "\"";
    }
    const std::int64_t n = std::get<std::int64_t>(o.v);
    switch (field.kind) {
        case ValueKind::Duration: return format_duration(Duration(n));
        case ValueKind::Bytes: return format_bytes(static_cast<std::uint64_t>(n));
        default: return std::to_string(n);
    }
}

bool compare(Op op, std::int64_t a, std::int64_t b) {
    switch (op) {
        case Op::Eq: return a == b;
        case Op::Ne: return a != b;
        case Op::Lt: return a < b;
        case Op::Le: return a <= b;
        case Op::Gt: return a > b;
        case Op::Ge: return a >= b;
        case Op::Match:
        case Op::NotMatch: return false;
    }
    return false;
}

}  // namespace

std::string quantifier_text(const Quantifier& q) { return quantifier_words(q, Language::En); }

std::string quantifier_words(const Quantifier& q, Language lang) {
    switch (q.kind) {
        case QuantifierKind::All: return std::string(i18n::word(lang, i18n::Msg::QuantifierAll));
        case QuantifierKind::Any: return std::string(i18n::word(lang, i18n::Msg::QuantifierAny));
        case QuantifierKind::Exactly: return i18n::said(lang, i18n::Msg::QuantifierExactly, {q.count});
    }
    return "?";
}

std::string verdict_text(const CheckOutcome& o, QuantifierKind kind, Language lang) {
    if (o.selected == 0 && kind != QuantifierKind::Exactly)
        return std::string(i18n::word(lang, i18n::Msg::VerdictNoneSelected));
    return i18n::said(lang, i18n::Msg::VerdictOf, {o.satisfied, o.selected});
}

std::string format_duration(Duration d) {
    const auto n = d.count();
    const auto a = n < 0 ? -n : n;
    if (a < 1'000) return fmt::format("{}ns", n);
    if (a < 1'000'000) return fmt::format("{:.3g}us", static_cast<double>(n) / 1e3);
    if (a < 1'000'000'000) return fmt::format("{:.4g}ms", static_cast<double>(n) / 1e6);
    return fmt::format("{:.4g}s", static_cast<double>(n) / 1e9);
}

std::string format_bytes(std::uint64_t b) {
    if (b < 10'000) return fmt::format("{}B", b);
    if (b < 10'000'000) return fmt::format("{:.4g}KB", static_cast<double>(b) / 1e3);
    return fmt::format("{:.4g}MB", static_cast<double>(b) / 1e6);
}

TermOutcome evaluate_term(const Predicate& p, const ConnectionFacts& f) {
    const FieldInfo& field = *p.field;
    const Observed o = observe(field, f);
    TermOutcome out;
    out.observed = render(field, o);
    const bool negate = p.op == Op::Ne || p.op == Op::NotMatch;
    switch (field.kind) {
        case ValueKind::Count:
        case ValueKind::Bytes:
        case ValueKind::Duration:
        case ValueKind::Number: {
            const auto* n = std::get_if<std::int64_t>(&o.v);
            if (p.none)
                out.passed = (n == nullptr) != negate;
            else if (n == nullptr)
                out.passed = p.op == Op::Ne;  // absent differs from any value
            else
                out.passed = compare(p.op, *n, p.number);
            return out;
        }
        case ValueKind::Bool: {
            const auto* b = std::get_if<bool>(&o.v);
            out.passed = b != nullptr && ((*b == p.boolean) != negate);
            return out;
        }
        case ValueKind::Enum: {
            const auto* s = std::get_if<std::string>(&o.v);
            const bool any = s != nullptr && std::find(p.names.begin(), p.names.end(), *s) != p.names.end();
            out.passed = any != negate;
            return out;
        }
        case ValueKind::History:
        case ValueKind::Text: {
            const auto* s = std::get_if<std::string>(&o.v);
            const std::string h = s != nullptr ? *s : std::string();
            bool hit = false;
            if (p.regex)
                hit = RE2::PartialMatch(h, *p.regex);  // searched, like regex_search
            else
                hit = std::find(p.names.begin(), p.names.end(), h) != p.names.end();
            out.passed = hit != negate;
            return out;
        }
        case ValueKind::FlagSequence: {
            const auto* seq = std::get_if<const std::vector<std::uint16_t>*>(&o.v);
            // A truncated sequence cannot be known to match: it fails both ~ and !~.
            if (seq == nullptr || o.truncated) {
                out.passed = false;
                return out;
            }
            out.passed = sequence_matches(p.sequence, **seq) != negate;
            return out;
        }
    }
    return out;
}

CheckOutcome evaluate(const Check& check, std::span<const ConnectionFacts> facts) {
    CheckOutcome out;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        if (!check.select.matches(facts[i].summary)) continue;
        ConnectionOutcome c;
        c.facts_index = i;
        c.satisfied = true;
        for (const auto& term : check.expect.terms) {
            c.terms.push_back(evaluate_term(term, facts[i]));
            c.satisfied = c.satisfied && c.terms.back().passed;
        }
        out.satisfied += c.satisfied ? 1 : 0;
        out.connections.push_back(std::move(c));
    }
    out.selected = out.connections.size();
    const auto& q = check.quantifier;
    switch (q.kind) {
        case QuantifierKind::All:
            out.passed = out.selected > 0 && out.satisfied == out.selected;
            for (auto& c : out.connections) c.breaks = !c.satisfied;
            break;
        case QuantifierKind::Any:
            out.passed = out.satisfied > 0;
            // None satisfied: each selected connection is a counter-example.
            if (!out.passed)
                for (auto& c : out.connections) c.breaks = true;
            break;
        case QuantifierKind::Exactly:
            out.passed = out.satisfied == q.count;
            // Too many: the satisfying ones are the surplus; too few: the others are to blame.
            if (!out.passed)
                for (auto& c : out.connections) c.breaks = out.satisfied > q.count ? c.satisfied : !c.satisfied;
            break;
    }
    out.verdict = verdict_text(out, q.kind, Language::En);
    return out;
}

namespace {
// Whether any term of the checks names a field `reads` says yes for.
template <typename Reads>
bool any_field(std::span<const Check> checks, Reads reads) {
    for (const Check& c : checks)
        for (const Predicate& p : c.expect.terms)
            if (p.field && reads(p.field->attr)) return true;
    return false;
}
}  // namespace

bool reads_streams(std::span<const Check> checks) {
    return any_field(checks, [](Attr a) { return reads_streams(a); });
}

bool reads_content(std::span<const Check> checks) {
    return any_field(checks, [](Attr a) { return reads_content(a); });
}

}  // namespace tfx::check
