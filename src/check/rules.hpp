#pragma once
// Expectation files (`check --rules expect.json`): a team's protocol contract, kept in its
// repository. JSON only: YAML would add a parser dependency for little gain (JSON is what
// CI tooling emits and validates already).
//
//   {
//     "description": "web service contract",          (optional, ignored)
//     "filter": "tcp port 8080",                       (BPF; used if the command line has none)
//     "select": "server port 8080",                    (default selector of every check)
//     "quantifier": "all",                             (default: all | any | exactly + "count")
//     "checks": [
//       { "name": "handshake completes", "expect": "handshake == complete" },
//       { "name": "clean close", "expect": ["close == graceful", "rst_count == 0"] },
//       { "name": "one connection", "expect": "handshake == complete", "count": 1 }
//     ]
//   }
//
// Unknown keys are errors (a typo must not silently disable a check). A check's own
// select/quantifier win over the file's, which win over the command line's.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "check/evaluate.hpp"
#include "tfx/result.hpp"

namespace tfx::check {

/// Deepest nesting of arrays and objects a rules file may have (a valid one has 4); deeper
/// is a usage error found before parsing.
inline constexpr std::size_t kMostRulesNesting = 64;
/// Largest rules file read (bigger is a usage error): a contract is a few KiB.
inline constexpr std::size_t kMostRulesBytes = std::size_t{4} << 20;

struct RuleSet {
    std::string filter;
    std::vector<Check> checks;
};

/// Defaults from the command line, used where the file says nothing.
struct RuleDefaults {
    Selector select;
    Quantifier quantifier;
};

/// Parses the text of a rules file; `path` names it in error messages, written in `lang`.
[[nodiscard]] Result<RuleSet> parse_rules(std::string_view text, const std::string& path, const RuleDefaults& defaults,
                                          Language lang = Language::En);
/// Reads and parses a rules file (ErrorKind::CannotOpen if unreadable, Usage if invalid).
[[nodiscard]] Result<RuleSet> load_rules(const std::string& path, const RuleDefaults& defaults,
                                         Language lang = Language::En);

/// Parses a quantifier word: "all", "any", "exactly N" or a bare "N".
[[nodiscard]] std::optional<Quantifier> parse_quantifier(std::string_view text);

}  // namespace tfx::check
