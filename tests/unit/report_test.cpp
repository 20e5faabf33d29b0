// The reports of `check` (check/report): one line per segment, text, JSON and JUnit (well
// formed, escaped).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "check/evaluate.hpp"
#include "check/report.hpp"
#include "support/check_facts.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;
using namespace tfx::check::test;

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
    EXPECT_EQ(format_line(l), "#7 +0.230000 C>S [P.] seq 1:101 ack 1 win 502 len 100 ! retransmission");
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
    EXPECT_NE(text.find("FAIL  close == graceful  (all: 1 of 2 selected connections)"), std::string::npos) << text;
    EXPECT_NE(text.find("conn 2 127.0.0.1:40000 -> 127.0.0.1:1025: close is reset (expected close == "
                        "graceful)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("#9 +0.000000 S>C [R.] seq 0 ack 0 win 0"), std::string::npos) << text;
    EXPECT_NE(text.find("#5 +0.000000 C>S [P.] seq 1:101 ack 0 win 0 len 100 ! retransmission"), std::string::npos)
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
        const std::string name =
            tag.substr(closing ? 1 : 0, tag.find_first_of(" /", closing ? 1 : 0) - (closing ? 1 : 0));
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
    EXPECT_NE(xml.find("<testsuites name=\"tcpflow-explain check\" tests=\"7\" failures=\"3\""), std::string::npos)
        << xml;
    // One testcase per expectation and connection; failures carry the reason and segments.
    EXPECT_NE(xml.find("<testcase classname=\"close == graceful\" name=\"conn to 127.0.0.1:1025 #2\""),
              std::string::npos)
        << xml;
    // The fixture's only FIN or RST is line #9, the server's RST-ACK: the frame that decided `close`.
    EXPECT_NE(xml.find("<failure message=\"close is reset (expected close == graceful): decided by frame 9: "
                       "RST-ACK from the server\" type=\"expectation\">"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("#9 +0.000000 S&gt;C [R.] seq 0 ack 0 win 0"), std::string::npos) << xml;
    // Escaping of names: markup characters, control characters and invalid UTF-8.
    EXPECT_NE(xml.find("weird &lt;name&gt; &amp; &quot;quotes&quot; \xEF\xBF\xBD \xEF\xBF\xBD"), std::string::npos)
        << xml;
    EXPECT_NE(xml.find("name=\"(no connection)\""), std::string::npos) << xml;
}

TEST(CheckJUnit, StableNamesLeaveOutTheClientPort) {
    // The same exchange captured twice: the client's ephemeral ports differ, the names do not.
    const std::vector<ConnectionFacts> first{graceful(1, 50000), graceful(2, 50001)};
    const std::vector<ConnectionFacts> second{graceful(1, 61000), graceful(2, 38000)};
    const std::vector<std::string> want{"conn to 127.0.0.1:1025 #1", "conn to 127.0.0.1:1025 #2"};
    EXPECT_EQ(stable_connection_names(first), want);
    EXPECT_EQ(stable_connection_names(second), want);
}

TEST(CheckJUnit, StableNamesCountPerServer) {
    // Two connections to port 1025 around one to port 8080: each server counts from 1.
    std::vector<ConnectionFacts> facts{graceful(1), graceful(2), graceful(3)};
    facts[1].summary.server = Endpoint{v4(127, 0, 0, 1), 8080};
    const std::vector<std::string> want{"conn to 127.0.0.1:1025 #1", "conn to 127.0.0.1:8080 #1",
                                        "conn to 127.0.0.1:1025 #2"};
    EXPECT_EQ(stable_connection_names(facts), want);
}

TEST(CheckJUnit, Escape) {
    EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    EXPECT_EQ(xml_escape("tab\tnl\n"), "tab\tnl\n");
    EXPECT_EQ(xml_escape("\x1b[0m"), "\xEF\xBF\xBD[0m");
    EXPECT_EQ(xml_escape("caf\xC3\xA9"), "caf\xC3\xA9");
    EXPECT_EQ(xml_escape("bad\xC3"), "bad\xEF\xBF\xBD");
}

}  // namespace
}  // namespace tfx::check
