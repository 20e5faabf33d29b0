// The expectation language of `check` (check/expectation): values, units, fields, errors
// that point at the text, and flag-sequence patterns.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "check/expectation.hpp"
#include "support/check_facts.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;
using namespace tfx::check::test;

SourceError parse_err(const std::string& text) {
    auto r = parse_expectation(text);
    if (auto* e = std::get_if<SourceError>(&r)) return *e;
    ADD_FAILURE() << "expected an error for: " << text;
    return {};
}

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
    EXPECT_NE(e.message.find("unknown flag word 'SYNACK' (did you mean 'SYN-ACK'?)"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 17u);
    EXPECT_EQ(e.len, 6u);
    e = parse_err("handshake ~ \"SYN");
    EXPECT_NE(e.message.find("unterminated"), std::string::npos);
    e = parse_err("3 == retransmissions");
    EXPECT_NE(e.message.find("expected a field name"), std::string::npos);
}

TEST(CheckParser, FlagWordsAsPeopleWriteThem) {
    // "FIN ACK FIN ACK": four segments, two of them FINs without ACK, which no stack sends
    // after the handshake (RFC 9293, 3.10.7.4): the pair is underlined as one segment.
    //  teardown ~ "FIN ACK FIN ACK"
    //  0123456789012345
    auto e = parse_err("teardown ~ \"FIN ACK FIN ACK\"");
    EXPECT_NE(e.message.find("'FIN ACK' is two segments"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("(did you mean 'FIN-ACK'?)"), std::string::npos) << e.message;
    EXPECT_EQ(e.pos, 12u);
    EXPECT_EQ(e.len, 7u);
    // Other separators and tcpdump's letters name words of the vocabulary.
    const std::pair<const char*, const char*> kHints[] = {
        {"teardown ~ \"* psh ack\"", "(did you mean 'PSH-ACK'?)"},
        {"teardown ~ \"fin-psh ack\"", "(did you mean 'FIN-PSH-ACK'?)"},
        {"teardown ~ \"fin/ack ACK\"", "unknown flag word 'fin/ack' (did you mean 'FIN-ACK'?)"},
        {"handshake ~ \"SYN SYN+ACK ACK\"", "(did you mean 'SYN-ACK'?)"},
        {"teardown ~ \"fin_ack\"", "(did you mean 'FIN-ACK'?)"},
        {"teardown ~ \"[F.] .\"", "unknown flag word '[F.]' (did you mean 'FIN-ACK'?)"},
        {"handshake ~ \"S S. .\"", "unknown flag word 'S' (did you mean 'SYN'?)"},
        {"teardown ~ \"R.\"", "(did you mean 'RST-ACK'?)"},
        {"teardown ~ \"finack\"", "(did you mean 'FIN-ACK'?)"},
    };
    for (const auto& [text, hint] : kHints) {
        e = parse_err(text);
        EXPECT_NE(e.message.find(hint), std::string::npos) << text << ": " << e.message;
    }
    // Spellings that mean what they say stay accepted: case, a SYN or RST then an ACK.
    EXPECT_EQ(parse_ok("teardown ~ \"fin-ack ack\"").terms[0].sequence.size(), 2u);
    EXPECT_EQ(parse_ok("handshake ~ \"SYN ACK\"").terms[0].sequence.size(), 2u);
    EXPECT_EQ(parse_ok("teardown ~ \"RST ACK\"").terms[0].sequence.size(), 2u);
    EXPECT_EQ(parse_ok("teardown ~ \"FIN-ACK ACK FIN-ACK ACK\"").terms[0].sequence.size(), 4u);
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
    auto pat = [](const std::string& p) { return parse_ok("handshake ~ \"" + p + "\"").terms.at(0).sequence; };
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

}  // namespace
}  // namespace tfx::check

namespace tfx::check {
namespace {

// "retransmisions" is "retransmissions" less one 's' (distance 1); "packets" and "rst_count"
// are far from it.
TEST(DidYouMeanHint, NamesTheNearestCandidate) {
    const std::vector<std::string> fields{"packets", "retransmissions", "rst_count"};
    EXPECT_EQ(did_you_mean_hint(Language::En, "retransmisions", fields), " (did you mean 'retransmissions'?)");
    EXPECT_EQ(did_you_mean_hint(Language::Fr, "retransmisions", fields),
              " (vouliez-vous dire \u00ab\u202fretransmissions\u202f\u00bb\u202f?)");
    // "nett" is one letter from "net" and three from "host": the nearest wins.
    EXPECT_EQ(did_you_mean_hint(Language::En, "nett", {"host", "net", "port"}), " (did you mean 'net'?)");
}

TEST(DidYouMeanHint, NoHintWhenNothingIsClose) {
    // "zzzz" is four substitutions from each: above the distance of 2, and no prefix.
    EXPECT_EQ(did_you_mean_hint(Language::En, "zzzz", {"host", "net", "port"}), "");
    EXPECT_EQ(did_you_mean_hint(Language::Fr, "zzzz", {"host", "net", "port"}), "");
    EXPECT_EQ(suggestion_hint(Language::Fr, ""), "");
}

}  // namespace
}  // namespace tfx::check
