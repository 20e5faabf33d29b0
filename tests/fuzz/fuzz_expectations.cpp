// libFuzzer target: the text parsers of `tcpflow-explain check`.
// Input: [parser selector] [text]. Selector % 4: 0 an expectation (--expect), 1 a
// connection selector (--select), 2 a JSON rules file (--rules), 3 a quantifier.
// What parses is also evaluated on two canned connections, and every error is formatted
// with its caret line (whose range must stay inside the text).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "check/collector.hpp"
#include "check/evaluate.hpp"
#include "check/expectation.hpp"
#include "check/rules.hpp"
#include "check/selector.hpp"

namespace {

using namespace tfx;
using namespace tfx::check;

const std::vector<ConnectionFacts>& canned_facts() {
    static const std::vector<ConnectionFacts> facts = [] {
        std::vector<ConnectionFacts> v(2);
        auto& s = v[1].summary;
        s.id = 2;
        s.handshake = HandshakeOutcome::Complete;
        s.close = CloseKind::Graceful;
        s.closed_by = Role::Client;
        s.conn_state = "SF";
        s.history = "ShADadFf";
        s.handshake_rtt = std::chrono::microseconds(250);
        s.dir[0].packets = 5;
        s.dir[0].payload_bytes = 1500;
        s.dir[0].mss = 1460;
        s.dir[1].window_scale = 7;
        s.client.port = 40000;
        s.server.port = 80;
        v[1].handshake_flags = {tcpflag::kSyn, tcpflag::kSyn | tcpflag::kAck, tcpflag::kAck};
        v[1].teardown_flags = {tcpflag::kFin | tcpflag::kAck, tcpflag::kAck, tcpflag::kFin | tcpflag::kAck,
                               tcpflag::kAck};
        return v;
    }();
    return facts;
}

void check_error(std::string_view text, const SourceError& e) {
    // The caret range is documented to lie within the text (one past the end at most).
    if (e.pos > text.size() + 1) __builtin_trap();
    const std::string shown = format_source_error("fuzz", text, e);
    if (shown.empty()) __builtin_trap();
}

void run_check(const Check& c) {
    const auto outcome = evaluate(c, canned_facts());
    if (outcome.connections.size() > canned_facts().size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1 || size > 4096) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 4U) {
        case 0: {
            auto parsed = parse_expectation(text);
            if (auto* e = std::get_if<SourceError>(&parsed)) {
                check_error(text, *e);
            } else {
                Check c;
                c.name = std::string(text);
                c.expect = std::get<Expectation>(std::move(parsed));
                run_check(c);
                for (const auto& f : canned_facts())
                    for (const auto& t : c.expect.terms) (void)evaluate_term(t, f);
            }
            break;
        }
        case 1: {
            auto parsed = Selector::parse(text);
            if (auto* e = std::get_if<SourceError>(&parsed)) {
                check_error(text, *e);
            } else {
                const auto& sel = std::get<Selector>(parsed);
                for (const auto& f : canned_facts()) (void)sel.matches(f.summary);
            }
            break;
        }
        case 2: {
            auto rules = parse_rules(text, "fuzz.json", RuleDefaults{});
            if (rules)
                for (const auto& c : rules.value().checks) run_check(c);
            break;
        }
        default: (void)parse_quantifier(text); break;
    }
    return 0;
}
