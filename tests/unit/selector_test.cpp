// Which connections a check looks at (check/selector): roles, ports, hosts, nets, and
// errors that point at the word.

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "check/connection_list.hpp"
#include "check/selector.hpp"
#include "support/check_facts.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;
using namespace tfx::check::test;

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

// `id N,M` is the walkthrough's `--conn N,M` list: connection f.summary is number 1.
TEST(CheckSelector, IdTakesTheConnectionList) {
    const auto f = graceful(1);
    const auto& s = f.summary;
    auto matches = [&s](const std::string& t) {
        auto r = Selector::parse(t);
        EXPECT_TRUE(std::holds_alternative<Selector>(r)) << t;
        return std::holds_alternative<Selector>(r) && std::get<Selector>(r).matches(s);
    };
    EXPECT_TRUE(matches("id 1,7"));
    EXPECT_TRUE(matches("id 7,3,1"));
    EXPECT_FALSE(matches("id 2,7"));
    EXPECT_TRUE(matches("id 2,7 or port 1025"));
    const auto bad = Selector::parse("port 1025 and id 3,,4");
    ASSERT_TRUE(std::holds_alternative<SourceError>(bad));
    EXPECT_EQ(std::get<SourceError>(bad).pos, 19u);  // the empty item between the commas
}

TEST(ConnectionList, SortedDistinctFromOne) {
    auto list = [](std::string_view t) {
        auto r = parse_connection_numbers(t);
        return std::holds_alternative<std::vector<ConversationId>>(r) ? std::get<std::vector<ConversationId>>(r)
                                                                      : std::vector<ConversationId>{};
    };
    EXPECT_EQ(list("3"), (std::vector<ConversationId>{3}));
    EXPECT_EQ(list("7,3,3"), (std::vector<ConversationId>{3, 7}));
    EXPECT_EQ(list("4294967295"), (std::vector<ConversationId>{4294967295U}));
    for (const std::string_view wrong : {"", "0", "3,", ",3", "3,,4", "-1", "+3", "3 ", "x", "4294967296"}) {
        const auto r = parse_connection_numbers(wrong);
        EXPECT_TRUE(std::holds_alternative<SourceError>(r)) << wrong;
    }
    const auto r = parse_connection_numbers("12,0");
    ASSERT_TRUE(std::holds_alternative<SourceError>(r));
    EXPECT_EQ(std::get<SourceError>(r).pos, 3u);
}

}  // namespace
}  // namespace tfx::check
