// The evaluator of `check` (check/evaluate) on hand-built connections: every predicate
// kind, the observed values, and every quantifier.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "check/evaluate.hpp"
#include "support/check_facts.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;
using namespace tfx::check::test;

bool holds(const std::string& expr, const ConnectionFacts& f) {
    const auto e = parse_ok(expr);
    if (e.terms.empty()) return false;
    bool all = true;
    for (const auto& t : e.terms) all = all && evaluate_term(t, f).passed;
    return all;
}

TEST(CheckEvaluate, HistoryPatternsMatchInLinearTime) {
    // Nested repetitions that make a backtracking engine take exponential time on a long
    // history with no match (2^64 paths here): RE2 answers at once, so this test ends.
    auto f = graceful(1);
    f.summary.history = std::string(64, 'a');
    EXPECT_FALSE(holds("history ~ \"^(a|a)*(a*)*(a*)*b$\"", f));
    EXPECT_TRUE(holds("history ~ \"(a|a)*(a*)*\"", f));
}

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
    EXPECT_EQ(observed, (std::vector<std::string>{"reset", "26us", "100B", "\"RST-ACK\"", "65495"}));
    EXPECT_TRUE(holds("rst_by == server and rst_count == 1 and closed_by == server", f));
    EXPECT_TRUE(holds("retransmissions == 1 and retransmission == 1 and fast_retransmission == 0", f));
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

}  // namespace
}  // namespace tfx::check
