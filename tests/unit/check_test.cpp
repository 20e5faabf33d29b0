// Unit tests of `check`: the expectation language, selectors, rules files, the evaluator
// on hand-built connections (every quantifier), the collector's bounds and the reports.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "check/check_command.hpp"
#include "check/collector.hpp"
#include "check/evaluate.hpp"
#include "check/expectation.hpp"
#include "check/report.hpp"
#include "check/rules.hpp"
#include "check/selector.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;

Expectation parse_ok(const std::string& text) {
    auto r = parse_expectation(text);
    if (auto* e = std::get_if<SourceError>(&r)) {
        ADD_FAILURE() << format_source_error("expect", text, *e);
        return {};
    }
    return std::get<Expectation>(r);
}

SourceError parse_err(const std::string& text) {
    auto r = parse_expectation(text);
    if (auto* e = std::get_if<SourceError>(&r)) return *e;
    ADD_FAILURE() << "expected an error for: " << text;
    return {};
}

IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    IpAddress ip;
    ip.version = 4;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
}

/// A graceful loopback connection like samples/seed-pouet.pcap.
ConnectionFacts graceful(ConversationId id, std::uint16_t client_port = 52200) {
    ConnectionFacts f;
    auto& s = f.summary;
    s.id = id;
    s.client = Endpoint{v4(127, 0, 0, 1), client_port};
    s.server = Endpoint{v4(127, 0, 0, 1), 1025};
    s.first_ts = Timestamp(1'000'000'000);
    s.last_ts = Timestamp(1'193'981'000);
    s.handshake = HandshakeOutcome::Complete;
    s.handshake_rtt = 26us;
    s.close = CloseKind::Graceful;
    s.closed_by = Role::Client;
    s.end_reason = "closed";
    s.conn_state = "SF";
    s.history = "ShADadFf";
    s.dir[0].packets = 5;
    s.dir[1].packets = 3;
    s.dir[0].payload_bytes = 6;
    s.dir[1].payload_bytes = 0;
    s.dir[0].unique_bytes = 6;
    s.dir[0].mss = 65495;
    s.dir[1].mss = 65495;
    s.dir[0].window_scale = 7;
    s.dir[1].window_scale = 7;
    s.dir[0].sack_permitted = s.dir[1].sack_permitted = true;
    s.dir[0].timestamps = s.dir[1].timestamps = true;
    s.dir[0].fins = s.dir[1].fins = 1;
    s.dir[0].syns = s.dir[1].syns = 1;
    using namespace tcpflag;
    f.handshake_flags = {kSyn, static_cast<std::uint16_t>(kSyn | kAck), kAck};
    f.teardown_flags = {static_cast<std::uint16_t>(kFin | kAck),
                        static_cast<std::uint16_t>(kFin | kAck), kAck};
    auto line = [&](FrameIndex n, Role who, std::uint16_t flags, Phase ph) {
        SegmentLine l;
        l.frame = n;
        l.since_start = std::chrono::microseconds(n * 10);
        l.sender = who;
        l.flags = flags;
        l.phase = ph;
        f.lines.push_back(l);
    };
    line(1, Role::Client, kSyn, Phase::Handshake);
    line(2, Role::Server, kSyn | kAck, Phase::Handshake);
    line(3, Role::Client, kAck, Phase::Handshake);
    line(6, Role::Client, kFin | kAck, Phase::Teardown);
    line(7, Role::Server, kFin | kAck, Phase::Teardown);
    line(8, Role::Client, kAck, Phase::Teardown);
    return f;
}

/// A connection the server aborted with RST after one retransmission.
ConnectionFacts reset_by_server(ConversationId id) {
    ConnectionFacts f = graceful(id, 40000);
    auto& s = f.summary;
    s.close = CloseKind::Reset;
    s.closed_by = Role::Server;
    s.conn_state = "RSTR";
    s.history = "ShADar";
    s.dir[1].rsts = 1;
    s.dir[0].fins = s.dir[1].fins = 0;
    s.counts[static_cast<std::size_t>(AnnotationCode::Retransmission)] = 1;
    s.dir[0].payload_bytes = 106;
    s.dir[0].unique_bytes = 6;
    s.dir[0].retransmitted_bytes = 100;
    using namespace tcpflag;
    f.teardown_flags = {static_cast<std::uint16_t>(kRst | kAck)};
    f.lines.resize(3);
    SegmentLine retrans;
    retrans.frame = 5;
    retrans.sender = Role::Client;
    retrans.flags = kPsh | kAck;
    retrans.rel_seq = 1;
    retrans.payload_len = 100;
    retrans.codes[0] = AnnotationCode::Retransmission;
    retrans.code_count = 1;
    f.lines.push_back(retrans);
    SegmentLine rst;
    rst.frame = 9;
    rst.sender = Role::Server;
    rst.flags = kRst | kAck;
    rst.phase = Phase::Teardown;
    f.lines.push_back(rst);
    return f;
}

bool holds(const std::string& expr, const ConnectionFacts& f) {
    const auto e = parse_ok(expr);
    if (e.terms.empty()) return false;
    bool all = true;
    for (const auto& t : e.terms) all = all && evaluate_term(t, f).passed;
    return all;
}

Check make_check(const std::string& expr, Quantifier q = {}, const std::string& sel = {}) {
    Check c;
    c.expect = parse_ok(expr);
    c.name = c.expect.text;
    c.quantifier = q;
    auto s = Selector::parse(sel);
    EXPECT_TRUE(std::holds_alternative<Selector>(s)) << sel;
    if (auto* p = std::get_if<Selector>(&s)) c.select = *p;
    return c;
}

// ---------------------------------------------------------------- parser

TEST(CheckParser, ParsesEveryValueKind) {
    const auto e = parse_ok(
        "handshake == complete and close == graceful|simultaneous and closed_by == client and "
        "retransmissions == 0 and duplicate_ack < 3 and server_bytes >= 1KB and handshake_rtt < "
        "5ms "
        "and mss_client == 1460 and wscale_server == none and sack == true and conn_state == SF "
        "and history ~ \"^ShAD\" and handshake ~ \"SYN SYN-ACK ACK\" and teardown !~ \"* RST *\"");
    ASSERT_EQ(e.terms.size(), 14u);
    EXPECT_EQ(e.terms[0].field->kind, ValueKind::Enum);
    EXPECT_EQ(e.terms[1].names, (std::vector<std::string>{"graceful", "simultaneous"}));
    EXPECT_EQ(e.terms[3].field->codes.size(), 3u);
    EXPECT_EQ(e.terms[4].field->codes, std::vector<AnnotationCode>{AnnotationCode::DuplicateAck});
    EXPECT_EQ(e.terms[4].op, Op::Lt);
    EXPECT_EQ(e.terms[5].number, 1000);
    EXPECT_EQ(e.terms[6].number, 5'000'000);
    EXPECT_EQ(e.terms[7].number, 1460);
    EXPECT_TRUE(e.terms[8].none);
    EXPECT_TRUE(e.terms[9].boolean);
    EXPECT_EQ(e.terms[10].names, std::vector<std::string>{"SF"});
    EXPECT_TRUE(e.terms[11].regex);
    EXPECT_EQ(e.terms[12].field->kind, ValueKind::FlagSequence);
    EXPECT_EQ(e.terms[12].sequence.size(), 3u);
    EXPECT_EQ(e.terms[13].op, Op::NotMatch);
    EXPECT_EQ(e.terms[0].text, "handshake == complete");
}

TEST(CheckParser, Units) {
    EXPECT_EQ(parse_ok("duration < 250us").terms[0].number, 250'000);
    EXPECT_EQ(parse_ok("duration < 1.5ms").terms[0].number, 1'500'000);
    EXPECT_EQ(parse_ok("duration <= 2s").terms[0].number, 2'000'000'000);
    EXPECT_EQ(parse_ok("duration > 10ns").terms[0].number, 10);
    EXPECT_EQ(parse_ok("duration < 5 ms").terms[0].number, 5'000'000);
    EXPECT_EQ(parse_ok("client_bytes == 6").terms[0].number, 6);
    EXPECT_EQ(parse_ok("client_bytes == 6B").terms[0].number, 6);
    EXPECT_EQ(parse_ok("bytes < 2MB").terms[0].number, 2'000'000);
    EXPECT_EQ(parse_ok("bytes < 1.5KB").terms[0].number, 1500);
    EXPECT_EQ(parse_ok("bytes < 1KiB").terms[0].number, 1024);
    EXPECT_EQ(parse_ok("bytes < 1 MiB").terms[0].number, 1 << 20);
}

TEST(CheckParser, BadUnitsPointAtTheUnit) {
    auto e = parse_err("handshake_rtt < 5");
    EXPECT_NE(e.message.find("give a unit"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 16u);
    e = parse_err("handshake_rtt < 5sec");
    EXPECT_NE(e.message.find("unknown duration unit 'sec'"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 17u);
    EXPECT_EQ(e.len, 3u);
    e = parse_err("bytes > 3kb");
    EXPECT_NE(e.message.find("did you mean 'KB'"), std::string::npos) << e.message;
    e = parse_err("retransmissions == 0ms");
    EXPECT_NE(e.message.find("is a count: it takes no unit"), std::string::npos) << e.message;
    e = parse_err("bytes > 1.5B");
    EXPECT_NE(e.message.find("whole number of bytes"), std::string::npos) << e.message;
    e = parse_err("duration < 0.1ns");
    EXPECT_NE(e.message.find("1 ns"), std::string::npos) << e.message;
}

TEST(CheckParser, UnknownFieldSuggestsAndPointsAtIt) {
    const std::string text = "handshak == complete";
    const auto e = parse_err(text);
    EXPECT_EQ(e.message, "unknown field 'handshak' (did you mean 'handshake'?)");
    EXPECT_EQ(e.pos, 0u);
    EXPECT_EQ(e.len, 8u);
    EXPECT_EQ(format_source_error("--expect", text, e),
              "--expect: unknown field 'handshak' (did you mean 'handshake'?)\n"
              "  handshak == complete\n"
              "  ^~~~~~~~");
    const auto e2 = parse_err("close == graceful and retransmision == 0");
    EXPECT_EQ(e2.pos, 22u);
    EXPECT_NE(e2.message.find("did you mean 'retransmission'"), std::string::npos) << e2.message;
}

TEST(CheckParser, TypeMismatches) {
    auto e = parse_err("close < graceful");
    EXPECT_NE(e.message.find("operator '<' does not apply"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 6u);
    e = parse_err("close == gracefull");
    EXPECT_NE(e.message.find("did you mean 'graceful'"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 9u);
    e = parse_err("close == graceful|nope");
    EXPECT_EQ(e.pos, 18u);
    e = parse_err("sack == yes");
    EXPECT_NE(e.message.find("true or false"), std::string::npos) << e.message;
    e = parse_err("retransmissions == many");
    EXPECT_NE(e.message.find("expected a number"), std::string::npos) << e.message;
    e = parse_err("retransmissions ~ 3");
    EXPECT_NE(e.message.find("does not apply"), std::string::npos) << e.message;
    e = parse_err("teardown == graceful");
    EXPECT_NE(e.message.find("use 'close'"), std::string::npos) << e.message;
    e = parse_err("handshake ~ SYN");
    EXPECT_NE(e.message.find("quote the flag sequence"), std::string::npos) << e.message;
    e = parse_err("retransmissions == -1");
    EXPECT_NE(e.message.find("negative"), std::string::npos) << e.message;
    e = parse_err("conn_state == XX");
    EXPECT_NE(e.message.find("one of: S0"), std::string::npos) << e.message;
    e = parse_err("history == ShX");
    EXPECT_EQ(e.pos, 13u);
    e = parse_err("history ~ \"(\"");
    EXPECT_NE(e.message.find("bad regular expression"), std::string::npos) << e.message;
    e = parse_err("mss_client < none");
    EXPECT_NE(e.message.find("none"), std::string::npos) << e.message;
}

TEST(CheckParser, HistoryPatternsAreLimitedToWhatMakesSenseForAHistory) {
    // Found by fuzz_expectations (tests/fuzz/regressions/expectations/ubsan-regex-count-overflow):
    // libstdc++ read back-reference and {m,n} numbers without an overflow check.
    auto e = parse_err("history ~ \"\\2222222222222222222222\"");
    EXPECT_NE(e.message.find("may be escaped"), std::string::npos) << e.message;
    e = parse_err("history ~ \"S{99999999999999999999}\"");
    EXPECT_NE(e.message.find("above 999"), std::string::npos) << e.message;
    e = parse_err("history ~ \"S\\d\"");
    EXPECT_NE(e.message.find("may be escaped"), std::string::npos) << e.message;
    parse_ok("history ~ \"^ShA(D|d){1,3}.*[Ff]$\"");
    parse_ok("history ~ \"\\^h\"");
    // tests/fuzz/regressions/expectations/timeout-history-repeated-quantifiers: a quantifier
    // repeated (std::regex backtracked for minutes on it); RE2 says what is wrong.
    e = parse_err("history ~ \"^S????????d***************escri???\"");
    EXPECT_NE(e.message.find("bad regular expression"), std::string::npos) << e.message;
}

TEST(CheckEvaluate, HistoryPatternsMatchInLinearTime) {
    // Nested repetitions that make a backtracking engine take exponential time on a long
    // history with no match (2^64 paths here): RE2 answers at once, so this test ends.
    auto f = graceful(1);
    f.summary.history = std::string(64, 'a');
    EXPECT_FALSE(holds("history ~ \"^(a|a)*(a*)*(a*)*b$\"", f));
    EXPECT_TRUE(holds("history ~ \"(a|a)*(a*)*\"", f));
}

TEST(CheckParser, BadSyntax) {
    auto e = parse_err("");
    EXPECT_NE(e.message.find("empty expectation"), std::string::npos);
    e = parse_err("close = graceful");
    EXPECT_EQ(e.message, "use `==` to compare");
    EXPECT_EQ(e.pos, 6u);
    e = parse_err("close graceful");
    EXPECT_NE(e.message.find("expected an operator"), std::string::npos);
    EXPECT_EQ(e.pos, 6u);
    e = parse_err("close ==");
    EXPECT_NE(e.message.find("expected a value"), std::string::npos);
    e = parse_err("close == graceful rst_count == 0");
    EXPECT_NE(e.message.find("expected `and`"), std::string::npos);
    EXPECT_EQ(e.pos, 18u);
    e = parse_err("close == graceful and");
    EXPECT_NE(e.message.find("after `and`"), std::string::npos);
    e = parse_err("close == graceful or close == reset");
    EXPECT_NE(e.message.find("expected `and`"), std::string::npos);
    e = parse_err("handshake ~ \"SYN SYNACK ACK\"");
    EXPECT_NE(e.message.find("unknown flag word 'SYNACK' (did you mean 'SYN-ACK'?)"),
              std::string::npos)
        << e.message;
    EXPECT_EQ(e.pos, 17u);
    EXPECT_EQ(e.len, 6u);
    e = parse_err("handshake ~ \"SYN");
    EXPECT_NE(e.message.find("unterminated"), std::string::npos);
    e = parse_err("3 == retransmissions");
    EXPECT_NE(e.message.find("expected a field name"), std::string::npos);
}

TEST(CheckParser, CaretUnderlinesTheRange) {
    const SourceError e{"bad", 4, 3};
    EXPECT_EQ(format_source_error("", "abc defgh", e), "bad\n  abc defgh\n      ^~~");
}

TEST(CheckParser, EveryAnnotationCodeIsAField) {
    for (int i = 0; i < kAnnotationCodeCount; ++i) {
        const auto name = std::string(code_name(static_cast<AnnotationCode>(i)));
        const auto* f = find_field(name);
        ASSERT_NE(f, nullptr) << name;
        EXPECT_EQ(f->kind, ValueKind::Count);
    }
}

// Every handshake outcome the walkthrough can print can be asserted, scan probes included.
TEST(CheckParser, EveryHandshakeOutcomeIsAValue) {
    for (int i = 0; i <= static_cast<int>(HandshakeOutcome::Probe); ++i) {
        const std::string text = "handshake == " + std::string(to_string(static_cast<HandshakeOutcome>(i)));
        EXPECT_TRUE(std::holds_alternative<Expectation>(parse_expectation(text))) << text;
    }
}

TEST(CheckParser, SequenceMatching) {
    using namespace tcpflag;
    const std::vector<std::uint16_t> seq{kSyn, kSyn | kAck | kEce, kAck};
    auto pat = [](const std::string& p) {
        return parse_ok("handshake ~ \"" + p + "\"").terms.at(0).sequence;
    };
    EXPECT_TRUE(sequence_matches(pat("SYN SYN-ACK ACK"), seq));  // ECN bits ignored unless named
    EXPECT_TRUE(sequence_matches(pat("syn ack-syn ack"), seq));  // order and case of words free
    EXPECT_FALSE(sequence_matches(pat("SYN SYN-ACK"), seq));
    EXPECT_FALSE(sequence_matches(pat("SYN SYN-ACK-CWR ACK"), seq));
    EXPECT_TRUE(sequence_matches(pat("SYN SYN-ACK-ECE ACK"), seq));
    EXPECT_TRUE(sequence_matches(pat("SYN * ACK"), seq));
    EXPECT_TRUE(sequence_matches(pat("* ACK"), seq));
    EXPECT_TRUE(sequence_matches(pat("SYN ? ACK"), seq));
    EXPECT_FALSE(sequence_matches(pat("SYN ? ? ACK"), seq));
    EXPECT_TRUE(sequence_matches(pat("*"), {}));
    EXPECT_FALSE(sequence_matches(pat("SYN"), {}));
}

// ---------------------------------------------------------------- selector

TEST(CheckSelector, MatchesRolesPortsHostsNets) {
    const auto f = graceful(1);
    const auto& s = f.summary;
    auto sel = [](const std::string& t) {
        auto r = Selector::parse(t);
        EXPECT_TRUE(std::holds_alternative<Selector>(r)) << t;
        return std::get<Selector>(r);
    };
    EXPECT_TRUE(sel("").matches(s));
    EXPECT_TRUE(sel("port 1025").matches(s));
    EXPECT_TRUE(sel("server port 1025").matches(s));
    EXPECT_FALSE(sel("client port 1025").matches(s));
    EXPECT_TRUE(sel("client port 52200").matches(s));
    EXPECT_TRUE(sel("host 127.0.0.1").matches(s));
    EXPECT_TRUE(sel("client 127.0.0.1").matches(s));
    EXPECT_FALSE(sel("host 10.0.0.1").matches(s));
    EXPECT_TRUE(sel("net 127.0.0.0/8").matches(s));
    EXPECT_FALSE(sel("net 10.0.0.0/8").matches(s));
    EXPECT_FALSE(sel("host ::1").matches(s));
    EXPECT_TRUE(sel("id 1").matches(s));
    EXPECT_TRUE(sel("port 80 or port 1025").matches(s));
    EXPECT_FALSE(sel("port 80 or not port 1025").matches(s));
    EXPECT_TRUE(sel("not (port 80 or port 81) and server port 1025").matches(s));
}

TEST(CheckSelector, ErrorsPointAtTheWord) {
    auto err = [](const std::string& t) {
        auto r = Selector::parse(t);
        EXPECT_TRUE(std::holds_alternative<SourceError>(r)) << t;
        return std::holds_alternative<SourceError>(r) ? std::get<SourceError>(r) : SourceError{};
    };
    auto e = err("prot 80");
    EXPECT_NE(e.message.find("did you mean 'port'"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 0u);
    e = err("port 99999");
    EXPECT_EQ(e.pos, 5u);
    e = err("host example.com");
    EXPECT_NE(e.message.find("not resolved"), std::string::npos);
    e = err("port 80 port 81");
    EXPECT_EQ(e.pos, 8u);
    e = err("(port 80");
    EXPECT_NE(e.message.find("missing ')'"), std::string::npos);
    e = err("net 10.0.0.0/33");
    EXPECT_NE(e.message.find("prefix length"), std::string::npos);
}

// ---------------------------------------------------------------- evaluator

TEST(CheckEvaluate, EveryPredicateKindOnAGracefulConnection) {
    const auto f = graceful(1);
    EXPECT_TRUE(holds("handshake == complete", f));
    EXPECT_FALSE(holds("handshake != complete", f));
    EXPECT_TRUE(holds("close == graceful", f));
    EXPECT_TRUE(holds("close == reset|graceful", f));
    EXPECT_TRUE(holds("close != reset|half_closed", f));
    EXPECT_TRUE(holds("closed_by == client", f));
    EXPECT_TRUE(holds("rst_by == none", f));
    EXPECT_TRUE(holds("rst_count == 0", f));
    EXPECT_TRUE(holds("fin_count == 2", f));
    EXPECT_TRUE(holds("retransmissions == 0", f));
    EXPECT_TRUE(holds("zero_window == 0", f));
    EXPECT_TRUE(holds("packets == 8", f));
    EXPECT_TRUE(holds("client_packets == 5 and server_packets == 3", f));
    EXPECT_TRUE(holds("client_bytes == 6", f));
    EXPECT_TRUE(holds("server_bytes < 1KB", f));
    EXPECT_TRUE(holds("client_payload_bytes == 6 and payload_bytes == 6", f));
    EXPECT_TRUE(holds("handshake_rtt < 5ms", f));
    EXPECT_TRUE(holds("handshake_rtt > 25us", f));
    EXPECT_FALSE(holds("handshake_rtt < 26us", f));
    EXPECT_TRUE(holds("handshake_rtt <= 26us", f));
    EXPECT_TRUE(holds("duration < 200ms", f));
    EXPECT_TRUE(holds("syn_to_synack == none", f));
    EXPECT_TRUE(holds("rtt_max == none", f));
    EXPECT_TRUE(holds("mss_client == 65495 and mss_server >= 1460", f));
    EXPECT_TRUE(holds("wscale_client == 7 and wscale_server != none", f));
    EXPECT_TRUE(holds("sack == true and timestamps == true and window_scaling == true", f));
    EXPECT_TRUE(holds("roles_inferred == false", f));
    EXPECT_TRUE(holds("conn_state == SF", f));
    EXPECT_TRUE(holds("history == ShADadFf", f));
    EXPECT_TRUE(holds("history ~ \"^ShAD\"", f));
    EXPECT_TRUE(holds("history !~ \"[Rr]\"", f));
    EXPECT_TRUE(holds("handshake ~ \"SYN SYN-ACK ACK\"", f));
    EXPECT_TRUE(holds("teardown ~ \"FIN-ACK FIN-ACK ACK\"", f));
    EXPECT_FALSE(holds("teardown ~ \"FIN-ACK ACK FIN-ACK ACK\"", f));
    EXPECT_TRUE(holds("teardown !~ \"* RST-ACK *\"", f));
    EXPECT_TRUE(holds("end_reason == closed", f));
}

TEST(CheckEvaluate, ObservedValuesForReports) {
    const auto f = reset_by_server(2);
    const auto e = parse_ok(
        "close == graceful and handshake_rtt < 10us and retransmitted_bytes == 0 and "
        "teardown ~ \"FIN-ACK *\" and mss_server == none");
    std::vector<std::string> observed;
    for (const auto& t : e.terms) observed.push_back(evaluate_term(t, f).observed);
    EXPECT_EQ(observed,
              (std::vector<std::string>{"reset", "26us", "100B", "\"RST-ACK\"", "65495"}));
    EXPECT_TRUE(holds("rst_by == server and rst_count == 1 and closed_by == server", f));
    EXPECT_TRUE(
        holds("retransmissions == 1 and retransmission == 1 and fast_retransmission == 0", f));
}

TEST(CheckEvaluate, TruncatedSequenceNeverMatches) {
    auto f = graceful(1);
    f.teardown_flags_truncated = true;
    EXPECT_FALSE(holds("teardown ~ \"*\"", f));
    EXPECT_FALSE(holds("teardown !~ \"RST\"", f));
}

TEST(CheckEvaluate, QuantifierAll) {
    const std::vector<ConnectionFacts> conns{graceful(1), reset_by_server(2), graceful(3, 52300)};
    auto o = evaluate(make_check("close == graceful"), conns);
    EXPECT_FALSE(o.passed);
    EXPECT_EQ(o.selected, 3u);
    EXPECT_EQ(o.satisfied, 2u);
    ASSERT_EQ(o.connections.size(), 3u);
    EXPECT_FALSE(o.connections[0].breaks);
    EXPECT_TRUE(o.connections[1].breaks);
    EXPECT_FALSE(o.connections[2].breaks);
    EXPECT_TRUE(evaluate(make_check("close == graceful", {}, "not port 40000"), conns).passed);
    // An empty selection fails `all`: a contract that judges nothing is not green.
    o = evaluate(make_check("close == graceful", {}, "port 9"), conns);
    EXPECT_FALSE(o.passed);
    EXPECT_EQ(o.verdict, "no connection selected");
}

TEST(CheckEvaluate, QuantifierAny) {
    const std::vector<ConnectionFacts> conns{graceful(1), reset_by_server(2)};
    const Quantifier any{QuantifierKind::Any, 0};
    EXPECT_TRUE(evaluate(make_check("close == reset", any), conns).passed);
    auto o = evaluate(make_check("close == half_closed", any), conns);
    EXPECT_FALSE(o.passed);
    EXPECT_TRUE(o.connections[0].breaks && o.connections[1].breaks);
    EXPECT_FALSE(evaluate(make_check("close == reset", any, "port 9"), conns).passed);
}

TEST(CheckEvaluate, QuantifierExactly) {
    const std::vector<ConnectionFacts> conns{graceful(1), reset_by_server(2), graceful(3, 52300)};
    auto exactly = [](std::uint32_t n) { return Quantifier{QuantifierKind::Exactly, n}; };
    EXPECT_TRUE(evaluate(make_check("close == graceful", exactly(2)), conns).passed);
    EXPECT_TRUE(evaluate(make_check("close == reset", exactly(1)), conns).passed);
    EXPECT_TRUE(evaluate(make_check("close == half_closed", exactly(0)), conns).passed);
    // Too many: the satisfying connections are blamed.
    auto o = evaluate(make_check("close == graceful", exactly(1)), conns);
    EXPECT_FALSE(o.passed);
    EXPECT_TRUE(o.connections[0].breaks);
    EXPECT_FALSE(o.connections[1].breaks);
    EXPECT_EQ(o.verdict, "2 of 3 selected connections");
    // Too few: the others are.
    o = evaluate(make_check("close == reset", exactly(2)), conns);
    EXPECT_FALSE(o.passed);
    EXPECT_TRUE(o.connections[0].breaks);
    EXPECT_FALSE(o.connections[1].breaks);
    EXPECT_EQ(quantifier_text(exactly(2)), "exactly 2");
}

// ---------------------------------------------------------------- rules files

TEST(CheckRules, NamedChecksWithScopes) {
    const std::string text = R"({
      "description": "contract",
      "filter": "tcp port 1025",
      "select": "server port 1025",
      "checks": [
        {"name": "handshake completes", "expect": "handshake == complete"},
        {"name": "clean", "expect": ["close == graceful", "rst_count == 0"], "quantifier": "any"},
        {"expect": "close == reset", "count": 1, "select": "port 40000"}
      ]})";
    auto r = parse_rules(text, "expect.json", {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->filter, "tcp port 1025");
    ASSERT_EQ(r->checks.size(), 3u);
    EXPECT_EQ(r->checks[0].name, "handshake completes");
    EXPECT_EQ(r->checks[0].select.text(), "server port 1025");
    EXPECT_EQ(r->checks[1].expect.terms.size(), 2u);
    EXPECT_EQ(r->checks[1].expect.text, "close == graceful and rst_count == 0");
    EXPECT_EQ(r->checks[1].quantifier.kind, QuantifierKind::Any);
    EXPECT_EQ(r->checks[2].name, "close == reset");
    EXPECT_EQ(r->checks[2].quantifier.kind, QuantifierKind::Exactly);
    EXPECT_EQ(r->checks[2].quantifier.count, 1u);
    EXPECT_EQ(r->checks[2].select.text(), "port 40000");
    const std::vector<ConnectionFacts> conns{graceful(1), reset_by_server(2)};
    EXPECT_TRUE(evaluate(r->checks[0], conns).passed);
    EXPECT_TRUE(evaluate(r->checks[2], conns).passed);
}

TEST(CheckRules, ErrorsNameTheCheckAndTheText) {
    auto msg = [](const std::string& text) {
        auto r = parse_rules(text, "expect.json", {});
        EXPECT_FALSE(r.ok()) << text;
        return r.ok() ? std::string() : r.error().message;
    };
    auto m = msg(R"({"checks": [{"name": "hs", "expect": "handshak == complete"}]})");
    EXPECT_EQ(m,
              "expect.json: checks[0] \"hs\".expect: unknown field 'handshak' (did you mean "
              "'handshake'?)\n  handshak == complete\n  ^~~~~~~~");
    m = msg(R"({"checks": [{"name": "x", "expects": "close == reset"}]})");
    EXPECT_NE(m.find("unknown key 'expects' (did you mean 'expect'?)"), std::string::npos) << m;
    m = msg("{\"checks\": [\n  {\"expect\": \"close == reset\",}\n]}");
    EXPECT_NE(m.find("expect.json:2:"), std::string::npos) << m;
    EXPECT_NE(m.find("not valid JSON"), std::string::npos) << m;
    m = msg(R"({"checks": []})");
    EXPECT_NE(m.find("non-empty array"), std::string::npos) << m;
    m = msg(R"({"checks": [{"expect": "close == reset", "quantifier": "most"}]})");
    EXPECT_NE(m.find("quantifier"), std::string::npos) << m;
    m = msg(R"({"checks": [{"expect": "close == reset", "quantifier": "any", "count": 2}]})");
    EXPECT_NE(m.find("contradicts"), std::string::npos) << m;
    m = msg(R"({"checks": [{"expect": "close == reset", "select": "prot 80"}]})");
    EXPECT_NE(m.find("checks[0].select: unknown selector 'prot'"), std::string::npos) << m;
    m = msg(R"({"checks": [{"expect": 3}]})");
    EXPECT_NE(m.find("expected a string"), std::string::npos) << m;
}

TEST(CheckRules, SamplesParse) {
    for (const char* name :
         {"expect-web-service.json", "expect-refused.json", "expect-reset.json"}) {
        auto r = load_rules(std::string(TFX_SOURCE_DIR) + "/samples/" + name, {});
        EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
    }
}

// ---------------------------------------------------------------- collector

TEST(CheckCollector, KeepsPhasesFindingsAndBoundsLines) {
    Collector::Limits limits;
    limits.lines_per_code = 2;
    limits.max_lines = 10;
    Collector col([](const ConversationSummary& s) { return s.id != 2; }, limits);
    auto seg = [](FrameIndex n, std::uint16_t flags, Phase ph) {
        AnnotatedSegment s;
        s.frame = n;
        s.conversation = 1;
        s.has_tcp = true;
        s.flags = flags;
        s.phase = ph;
        return s;
    };
    using namespace tcpflag;
    col.segment(seg(1, kSyn, Phase::Handshake));
    col.segment(seg(2, kSyn | kAck, Phase::Handshake));
    col.segment(seg(3, kAck, Phase::Handshake));
    for (FrameIndex n = 4; n < 100; ++n) {
        auto s = seg(n, kAck | kPsh, Phase::None);
        if (n % 10 == 0) s.add(Annotation{AnnotationCode::Retransmission, 0, 0, 0});
        col.segment(s);
    }
    col.segment(seg(100, kFin | kAck, Phase::Teardown));
    col.segment(seg(101, kFin | kAck, Phase::Teardown));
    col.segment(seg(102, kAck, Phase::Teardown));
    ConversationSummary s1;
    s1.id = 1;
    col.conversation_closed(s1);
    ConversationSummary s2;
    s2.id = 2;
    col.conversation_closed(s2);
    auto facts = col.take();
    ASSERT_EQ(facts.size(), 1u);  // connection 2 not selected
    EXPECT_EQ(col.connections_seen(), 2u);
    const auto& f = facts[0];
    EXPECT_EQ(f.handshake_flags.size(), 3u);
    EXPECT_EQ(f.teardown_flags.size(), 3u);
    std::vector<FrameIndex> frames;
    for (const auto& l : f.lines) frames.push_back(l.frame);
    EXPECT_EQ(frames, (std::vector<FrameIndex>{1, 2, 3, 10, 20, 100, 101, 102}));
    EXPECT_EQ(f.findings_not_kept[static_cast<std::size_t>(AnnotationCode::Retransmission)], 7u);
    EXPECT_TRUE(f.lines[3].has(AnnotationCode::Retransmission));
}

// ---------------------------------------------------------------- reports

TEST(CheckReport, LineFormat) {
    SegmentLine l;
    l.frame = 7;
    l.since_start = 230ms;
    l.sender = Role::Client;
    l.flags = tcpflag::kPsh | tcpflag::kAck;
    l.rel_seq = 1;
    l.rel_ack = 1;
    l.payload_len = 100;
    l.window = 502;
    l.codes[0] = AnnotationCode::Retransmission;
    l.code_count = 1;
    EXPECT_EQ(format_line(l),
              "#7 +0.230000 C>S [P.] seq 1:101 ack 1 win 502 len 100 ! retransmission");
}

struct Fixture {
    std::vector<ConnectionFacts> facts{graceful(1), reset_by_server(2)};
    std::vector<Check> checks;
    std::vector<CheckOutcome> outcomes;
    RunInfo run;
    Fixture() {
        checks.push_back(make_check("close == graceful"));
        checks.push_back(make_check("retransmissions == 0"));
        checks.push_back(make_check("handshake == complete"));
        checks.push_back(make_check("close == reset", {}, "port 9"));
        checks.back().name = "weird <name> & \"quotes\" \x01 \xff";
        for (const auto& c : checks) outcomes.push_back(evaluate(c, facts));
        run.source = "test.pcap";
        run.connections_seen = 2;
    }
    [[nodiscard]] ReportInput input() const { return ReportInput{run, checks, outcomes, facts}; }
};

TEST(CheckReport, TextShowsFailingSegments) {
    const Fixture fx;
    const auto text = text_report(fx.input());
    EXPECT_NE(text.find("FAIL  close == graceful  (all: 1 of 2 selected connections)"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("conn 2 127.0.0.1:40000 -> 127.0.0.1:1025: close is reset (expected close == "
                  "graceful)"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("#9 +0.000000 S>C [R.] seq 0 ack 0 win 0"), std::string::npos) << text;
    EXPECT_NE(text.find("#5 +0.000000 C>S [P.] seq 1:101 ack 0 win 0 len 100 ! retransmission"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("PASS  handshake == complete"), std::string::npos) << text;
    EXPECT_NE(text.find("4 checks: 1 passed, 3 failed"), std::string::npos) << text;
}

TEST(CheckReport, JsonCarriesVerdictsAndSegments) {
    const Fixture fx;
    const auto j = nlohmann::json::parse(json_report(fx.input()));
    EXPECT_EQ(j["schema"], "tcpflow-explain/1");
    EXPECT_EQ(j["passed"], false);
    EXPECT_EQ(j["summary"]["failed"], 3);
    const auto& c0 = j["checks"][0];
    EXPECT_EQ(c0["expect"], "close == graceful");
    EXPECT_EQ(c0["connections"][1]["breaks"], true);
    EXPECT_EQ(c0["connections"][1]["terms"][0]["observed"], "reset");
    EXPECT_EQ(c0["connections"][1]["segments"][0]["flags"], "RST-ACK");
    EXPECT_FALSE(c0["connections"][0].contains("segments"));
}

/// A minimal XML well-formedness check: tags nest, attributes are quoted, every '&' starts
/// a known entity, no raw '<' in text, no forbidden control characters.
bool well_formed(const std::string& xml, std::string& why) {
    std::vector<std::string> stack;
    std::size_t i = 0;
    if (xml.rfind("<?xml", 0) == 0) i = xml.find("?>") + 2;
    while (i < xml.size()) {
        const auto c = static_cast<unsigned char>(xml[i]);
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            why = "control character at " + std::to_string(i);
            return false;
        }
        if (xml[i] == '&') {
            bool ok = false;
            for (const char* ent : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
                ok = ok || xml.compare(i, std::strlen(ent), ent) == 0;
            if (!ok) {
                why = "bad entity at " + std::to_string(i);
                return false;
            }
        }
        if (xml[i] == '>') {
            why = "raw '>' at " + std::to_string(i);
            return false;
        }
        if (xml[i] != '<') {
            ++i;
            continue;
        }
        const auto end = xml.find('>', i);
        if (end == std::string::npos) {
            why = "unclosed tag";
            return false;
        }
        std::string tag = xml.substr(i + 1, end - i - 1);
        if (tag.find('<') != std::string::npos) {
            why = "'<' inside tag " + tag;
            return false;
        }
        // Attribute values: an even number of quotes.
        if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) {
            why = "unbalanced quotes in " + tag;
            return false;
        }
        const bool closing = tag[0] == '/';
        const bool self = tag.back() == '/';
        const std::string name = tag.substr(
            closing ? 1 : 0, tag.find_first_of(" /", closing ? 1 : 0) - (closing ? 1 : 0));
        if (closing) {
            if (stack.empty() || stack.back() != name) {
                why = "mismatched </" + name + ">";
                return false;
            }
            stack.pop_back();
        } else if (!self) {
            stack.push_back(name);
        }
        i = end + 1;
    }
    if (!stack.empty()) why = "unclosed <" + stack.back() + ">";
    return stack.empty();
}

TEST(CheckJUnit, WellFormedWithFailureText) {
    const Fixture fx;
    const auto xml = junit_report(fx.input());
    std::string why;
    EXPECT_TRUE(well_formed(xml, why)) << why << "\n" << xml;
    EXPECT_NE(xml.find("<testsuites name=\"tcpflow-explain check\" tests=\"7\" failures=\"3\""),
              std::string::npos)
        << xml;
    // One testcase per expectation and connection; failures carry the reason and segments.
    EXPECT_NE(
        xml.find("<testcase classname=\"close == graceful\" name=\"conn 2 127.0.0.1:40000 -&gt; "
                 "127.0.0.1:1025\""),
        std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<failure message=\"close is reset (expected close == graceful)\" "
                       "type=\"expectation\">"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("#9 +0.000000 S&gt;C [R.] seq 0 ack 0 win 0"), std::string::npos) << xml;
    // Escaping of names: markup characters, control characters and invalid UTF-8.
    EXPECT_NE(xml.find("weird &lt;name&gt; &amp; &quot;quotes&quot; \xEF\xBF\xBD \xEF\xBF\xBD"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("name=\"(no connection)\""), std::string::npos) << xml;
}

TEST(CheckJUnit, Escape) {
    EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    EXPECT_EQ(xml_escape("tab\tnl\n"), "tab\tnl\n");
    EXPECT_EQ(xml_escape("\x1b[0m"), "\xEF\xBF\xBD[0m");
    EXPECT_EQ(xml_escape("caf\xC3\xA9"), "caf\xC3\xA9");
    EXPECT_EQ(xml_escape("bad\xC3"), "bad\xEF\xBF\xBD");
}

// ---------------------------------------------------------------- command line, in-process

int run_check(std::vector<std::string> args, std::string* out = nullptr) {
    args.insert(args.begin(), "check");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    const int rc = run(static_cast<int>(args.size()), argv.data());
    const auto o = testing::internal::GetCapturedStdout();
    const auto e = testing::internal::GetCapturedStderr();
    if (out != nullptr) *out = o + e;
    return rc;
}

TEST(CheckCommand, ExitCodes) {
    const std::string seed = std::string(TFX_SOURCE_DIR) + "/samples/seed-pouet.pcap";
    std::string out;
    EXPECT_EQ(run_check({seed, "-e", "handshake == complete", "-e", "close == graceful"}, &out), 0)
        << out;
    EXPECT_EQ(run_check({seed, "-e", "close == reset"}, &out), 1) << out;
    EXPECT_NE(out.find("FAIL  close == reset"), std::string::npos) << out;
    EXPECT_EQ(run_check({seed, "-e", "close =="}, &out), 2) << out;
    EXPECT_NE(out.find("expected a value"), std::string::npos) << out;
    EXPECT_EQ(run_check({seed + ".missing", "-e", "close == graceful"}, &out), 2) << out;
    EXPECT_EQ(run_check({seed}, &out), 2) << out;
    EXPECT_EQ(run_check({seed, "-e", "close == graceful", "--", "true"}, &out), 2) << out;
}

TEST(CheckCommand, TimingVantageAndCaptureDropFields) {
    const std::string samples = std::string(TFX_SOURCE_DIR) + "/samples/";
    std::string out;
    // The loopback seed: a one-exchange conversation, SYN and SYN-ACK legs alike.
    EXPECT_EQ(run_check({samples + "seed-pouet.pcap", "-e",
                         "time_to_first_byte == none and server_think_max == none and capture_dropped_bytes == 0"},
                        &out),
              0)
        << out;
    // Captured at the client through a 10 ms bridge: the SYN -> SYN-ACK leg is the round trip.
    EXPECT_EQ(run_check({samples + "keepalive.pcap", "-e",
                         "vantage == near_client and time_to_first_byte > 15ms and server_think_max > 15ms"},
                        &out),
              0)
        << out;
    // tcpdump dropped frames: every connection lost bytes in the capture, not the network.
    EXPECT_EQ(run_check({samples + "capture-drop.pcap", "-e", "capture_dropped_bytes > 0 and retransmissions == 0"},
                        &out),
              0)
        << out;
    EXPECT_EQ(run_check({samples + "capture-drop.pcap", "-e", "capture_drop == 0"}, &out), 1) << out;
}

// One meaning per word: client_bytes counts each sequence number once, as the text, --summary
// and the CSV do (40000 in loss-retrans: the client's kernel wrote 40000 bytes), and
// client_payload_bytes what the capture carried with the three resent segments (3 x 1448).
TEST(CheckCommand, bytes_count_each_sequence_number_once_and_payload_bytes_include_resends) {
    const std::string samples = std::string(TFX_SOURCE_DIR) + "/samples/";
    std::string out;
    EXPECT_EQ(run_check({samples + "loss-retrans.pcap", "-e",
                         "client_bytes == 40000 and client_payload_bytes == 44344 and retransmitted_bytes == 4344"},
                        &out),
              0)
        << out;
    // capture-drop: each client sent 40000 bytes; the capture holds fewer of them.
    EXPECT_EQ(run_check({samples + "capture-drop.pcap", "-e", "client_bytes == 40000 and client_payload_bytes < 40000"},
                        &out),
              0)
        << out;
}

// A "count" nested 100,000 deep: once parsed, the message builder dumped it recursively
// (stack overflow). The nesting is refused before parsing, with where it starts.
TEST(CheckRules, NestingDeeperThanTheLimitIsAUsageErrorNotACrash) {
    const std::size_t depth = 100'000;
    const std::string text = R"({"checks":[{"expect":"close == graceful"}],"count":)" + std::string(depth, '[') +
                             std::string(depth, ']') + "}";
    auto r = parse_rules(text, "deep.json", {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    EXPECT_NE(r.error().message.find("deep.json:1:"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("nested deeper than 64 levels"), std::string::npos) << r.error().message;
    EXPECT_LT(r.error().message.size(), 200u);  // never the value itself
}

TEST(CheckRules, NestingUpToTheLimitAndBracketsInStringsAreFine) {
    // 64 levels in all (the root object is the first), and brackets inside a string count for nothing.
    const std::string deep = std::string(kMostRulesNesting - 1, '[') + std::string(kMostRulesNesting - 1, ']');
    auto r = parse_rules(R"({"description": )" + deep + R"(, "checks": [{"name": "[[[[{{{{\"", "expect": "close == reset"}]})",
                         "ok.json", {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->checks[0].name, "[[[[{{{{\"");
}

TEST(CheckRules, ANonIntegerCountIsNamedByItsTypeNotDumped) {
    auto r = parse_rules(R"({"checks": [{"expect": "close == reset", "count": [[["x"]]]}]})", "c.json", {});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("count: expected a non-negative integer, got array"), std::string::npos)
        << r.error().message;
}

}  // namespace
}  // namespace tfx::check
