#pragma once
// Evaluation of checks over collected connections.
//
// A check is an expectation, a scope (selector) and a quantifier:
//   all      every selected connection satisfies it, and at least one is selected
//            (an empty selection fails: a CI contract that silently judges nothing is a trap)
//   any      at least one selected connection satisfies it
//   exactly N  exactly N selected connections satisfy it (N may be 0)
// The result names, per connection, which predicates failed and the observed values, and
// which connections break the check (those the report shows with their segments).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "check/collector.hpp"
#include "check/expectation.hpp"
#include "check/selector.hpp"
#include "tfx/language.hpp"

namespace tfx::check {

enum class QuantifierKind : std::uint8_t { All, Any, Exactly };

struct Quantifier {
    QuantifierKind kind = QuantifierKind::All;
    std::uint32_t count = 0;  ///< Exactly only
};
/// "all", "any", "exactly 2": the words of the options, which the JSON and JUnit reports keep.
[[nodiscard]] std::string quantifier_text(const Quantifier& q);
/// The same in the sentences of `lang` ("toutes", "exactement 2").
[[nodiscard]] std::string quantifier_words(const Quantifier& q, Language lang);

struct Check {
    std::string name;  ///< the expectation text for --expect; the rule's name otherwise
    Expectation expect;
    Selector select;
    Quantifier quantifier;
    std::string origin;  ///< "--expect" or "<rules file>: checks[3]"
};

/// A predicate's value on one connection.
struct TermOutcome {
    bool passed = false;
    std::string observed;  ///< "reset", "3", "1.204ms", "none", "SYN SYN-ACK RST-ACK"
};

struct ConnectionOutcome {
    std::size_t facts_index = 0;     ///< into the facts the check was evaluated on
    bool satisfied = false;          ///< every predicate holds
    std::vector<TermOutcome> terms;  ///< one per Expectation::terms
    bool breaks = false;             ///< this connection is a reason the check failed
};

struct CheckOutcome {
    bool passed = false;
    std::size_t selected = 0;
    std::size_t satisfied = 0;
    std::vector<ConnectionOutcome> connections;  ///< selected connections, in id order
    std::string verdict;                         ///< "2 of 2 connections", "no connection selected", ...
};

/// CheckOutcome::verdict in `lang`: "2 of 2 selected connections", "no connection selected".
[[nodiscard]] std::string verdict_text(const CheckOutcome& o, QuantifierKind kind, Language lang);

[[nodiscard]] TermOutcome evaluate_term(const Predicate& p, const ConnectionFacts& f);
[[nodiscard]] CheckOutcome evaluate(const Check& check, std::span<const ConnectionFacts> facts);
/// Whether a check's expectation reads the rebuilt byte streams (then the run rebuilds them).
[[nodiscard]] bool reads_streams(std::span<const Check> checks);
/// Whether a check's expectation reads a content hint (then the run finds them).
[[nodiscard]] bool reads_content(std::span<const Check> checks);

/// Observed value formatting shared by the reports: 1.204ms, 12.5s, 812us, 95ns.
[[nodiscard]] std::string format_duration(Duration d);
/// 512B, 1.5KB (SI), exact byte counts below 10 KB.
[[nodiscard]] std::string format_bytes(std::uint64_t b);

}  // namespace tfx::check
