// Rules files of `check` (check/rules): named checks with their scopes, errors that name
// the check, the samples, and hostile nesting.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "check/evaluate.hpp"
#include "check/rules.hpp"
#include "support/check_facts.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;
using namespace tfx::check::test;

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
    for (const char* name : {"expect-web-service.json", "expect-refused.json", "expect-reset.json"}) {
        auto r = load_rules(std::string(TFX_SOURCE_DIR) + "/samples/" + name, {});
        EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
    }
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
    auto r = parse_rules(
        R"({"description": )" + deep + R"(, "checks": [{"name": "[[[[{{{{\"", "expect": "close == reset"}]})",
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
