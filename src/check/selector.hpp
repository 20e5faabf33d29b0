#pragma once
// Connection selector of `check --select`: which connections an expectation applies to.
//
// A BPF filter decides which packets are read; a selector decides which of the resulting
// connections are judged, with the roles the analysis gave them:
//
//   port 8080              either endpoint's port
//   host 10.0.0.1          either endpoint's address (IPv4 or IPv6)
//   net 10.0.0.0/8         either endpoint inside the prefix
//   server port 80         the server's port;  client 10.0.0.1  (= client host 10.0.0.1)
//   id 3,7                 connections 3 and 7 (as the walkthrough numbers them; the list
//                          syntax of the walkthrough's --conn, check/connection_list.hpp)
//   not / and / or / ( )   combined as in tcpdump (`and` binds tighter than `or`)
//
// Non-goals: BPF byte offsets, protocol keywords (every connection is TCP).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "check/expectation.hpp"
#include "tfx/conversation.hpp"

namespace tfx::check {

class Selector {
public:
    /// Selects every connection.
    Selector() = default;
    [[nodiscard]] static Parsed<Selector> parse(std::string_view text, Language lang = Language::En);

    [[nodiscard]] bool matches(const ConversationSummary& c) const;
    /// The text it was parsed from; empty for "every connection".
    [[nodiscard]] const std::string& text() const { return text_; }

    struct Node;

private:
    std::string text_;
    std::shared_ptr<const Node> root_;  // shared: selectors are copied into every check
};

}  // namespace tfx::check
