// Recursive-descent parser and matcher for connection selectors (grammar in selector.hpp).

#include "check/selector.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "check/connection_list.hpp"
#include "i18n/catalogue.hpp"

namespace tfx::check {

struct Selector::Node {
    enum class Kind : std::uint8_t { And, Or, Not, Host, Net, Port, Id } kind{};
    enum class Side : std::uint8_t { Either, Client, Server } side = Side::Either;
    std::shared_ptr<const Node> left, right;
    IpAddress addr;
    int prefix = 0;
    std::uint32_t number = 0;
    std::vector<ConversationId> ids;  // Id: sorted, distinct
};

namespace {

using Node = Selector::Node;
using i18n::Msg;

struct Token {
    std::string text;
    std::size_t pos = 0;
};

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (std::isspace(static_cast<unsigned char>(s[i])) != 0) {
            ++i;
            continue;
        }
        if (s[i] == '(' || s[i] == ')') {
            out.push_back({std::string(1, s[i]), i});
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) == 0 && s[i] != '(' && s[i] != ')') ++i;
        out.push_back({std::string(s.substr(start, i - start)), start});
    }
    return out;
}

bool parse_ip(const std::string& text, IpAddress& out) {
    in_addr a4{};
    in6_addr a6{};
    if (inet_pton(AF_INET, text.c_str(), &a4) == 1) {
        out = IpAddress{};
        out.version = 4;
        std::memcpy(out.bytes.data(), &a4, 4);
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) {
        out = IpAddress{};
        out.version = 6;
        std::memcpy(out.bytes.data(), &a6, 16);
        return true;
    }
    return false;
}

bool in_prefix(const IpAddress& a, const IpAddress& net, int prefix) {
    if (a.version != net.version) return false;
    for (int bit = 0; bit < prefix; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const int mask = 0x80 >> (bit % 8);
        if ((a.bytes[byte] & mask) != (net.bytes[byte] & mask)) return false;
    }
    return true;
}

class SelParser {
public:
    SelParser(std::string_view text, std::vector<Token> toks, Language lang)
        : text_(text), toks_(std::move(toks)), lang_(lang) {}

    Parsed<std::shared_ptr<const Node>> run() {
        auto n = or_expr();
        if (!n) return error_;
        if (i_ < toks_.size())
            return SourceError{i18n::said(lang_, Msg::SelectUnexpected, {toks_[i_].text}), toks_[i_].pos,
                               toks_[i_].text.size()};
        return n;
    }

private:
    std::shared_ptr<const Node> or_expr() {
        auto l = and_expr();
        while (l && peek_is("or")) {
            ++i_;
            auto r = and_expr();
            if (!r) return nullptr;
            l = binary(Node::Kind::Or, l, r);
        }
        return l;
    }
    std::shared_ptr<const Node> and_expr() {
        auto l = unary();
        while (l && peek_is("and")) {
            ++i_;
            auto r = unary();
            if (!r) return nullptr;
            l = binary(Node::Kind::And, l, r);
        }
        return l;
    }
    std::shared_ptr<const Node> unary() {
        if (peek_is("not")) {
            ++i_;
            auto inner = unary();
            if (!inner) return nullptr;
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::Not;
            n->left = inner;
            return n;
        }
        if (peek_is("(")) {
            const std::size_t open = toks_[i_].pos;
            ++i_;
            auto inner = or_expr();
            if (!inner) return nullptr;
            if (!peek_is(")")) return fail(Msg::SelectMissingParen, {}, open, 1);
            ++i_;
            return inner;
        }
        return primitive();
    }

    std::shared_ptr<const Node> primitive() {
        if (i_ >= toks_.size()) return fail(Msg::SelectExpected, {}, text_.size(), 1);
        auto n = std::make_shared<Node>();
        const Token& first = toks_[i_];
        if (first.text == "client" || first.text == "server") {
            n->side = first.text == "client" ? Node::Side::Client : Node::Side::Server;
            ++i_;
            if (i_ >= toks_.size()) return fail(Msg::SelectAfterSide, {first.text}, first.pos, first.text.size());
        }
        const Token& kw = toks_[i_];
        if (kw.text == "port" || kw.text == "host" || kw.text == "net" || kw.text == "id") {
            ++i_;
            if (i_ >= toks_.size()) return fail(Msg::SelectValueAfter, {kw.text}, kw.pos, kw.text.size());
            const Token& v = toks_[i_++];
            if (kw.text == "id") {
                if (n->side != Node::Side::Either) return fail(Msg::SelectIdSide, {}, kw.pos, kw.text.size());
                auto ids = parse_connection_numbers(v.text, lang_);
                if (const auto* e = std::get_if<SourceError>(&ids)) return fail(*e, v.pos);
                n->kind = Node::Kind::Id;
                n->ids = std::get<std::vector<ConversationId>>(std::move(ids));
                return n;
            }
            if (kw.text == "port") {
                std::uint32_t value = 0;
                auto [p, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), value);
                if (ec != std::errc{} || p != v.text.data() + v.text.size() || value > 65535)
                    return fail(Msg::SelectPort, {v.text}, v.pos, v.text.size());
                n->kind = Node::Kind::Port;
                n->number = value;
                return n;
            }
            if (kw.text == "host") return address(n, v, false);
            return address(n, v, true);
        }
        if (n->side != Node::Side::Either) {
            // "client 10.0.0.1": an address alone means host.
            const Token& v = toks_[i_++];
            IpAddress probe;
            const std::string addr = v.text.substr(0, v.text.find('/'));
            if (!parse_ip(addr, probe)) {
                return fail(Msg::SelectAfterSideGot,
                            {first.text, v.text, did_you_mean_hint(lang_, v.text, {"port", "host", "net"})}, v.pos,
                            v.text.size());
            }
            return address(n, v, v.text.find('/') != std::string::npos);
        }
        return fail(
            Msg::SelectUnknown,
            {kw.text, did_you_mean_hint(lang_, kw.text, {"port", "host", "net", "client", "server", "id", "not"})},
            kw.pos, kw.text.size());
    }

    std::shared_ptr<const Node> address(std::shared_ptr<Node> n, const Token& v, bool net) {
        std::string addr = v.text;
        int prefix = -1;
        if (net) {
            const auto slash = v.text.find('/');
            if (slash == std::string::npos) return fail(Msg::SelectPrefix, {v.text}, v.pos, v.text.size());
            addr = v.text.substr(0, slash);
            const std::string len = v.text.substr(slash + 1);
            auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
            if (ec != std::errc{} || p != len.data() + len.size() || prefix < 0)
                return fail(Msg::SelectPrefixLength, {len}, v.pos + slash + 1, len.size());
        }
        if (!parse_ip(addr, n->addr)) return fail(Msg::SelectAddress, {addr}, v.pos, addr.size());
        if (net) {
            const int max = n->addr.version == 4 ? 32 : 128;
            if (prefix > max) return fail(Msg::SelectPrefixAbove, {max}, v.pos, v.text.size());
            n->kind = Node::Kind::Net;
            n->prefix = prefix;
        } else {
            n->kind = Node::Kind::Host;
        }
        return n;
    }

    static std::shared_ptr<const Node> binary(Node::Kind k, std::shared_ptr<const Node> l,
                                              std::shared_ptr<const Node> r) {
        auto n = std::make_shared<Node>();
        n->kind = k;
        n->left = std::move(l);
        n->right = std::move(r);
        return n;
    }

    bool peek_is(std::string_view s) const { return i_ < toks_.size() && toks_[i_].text == s; }

    /// Records the error `id` in the parser's language, about [pos, pos + len).
    std::shared_ptr<const Node> fail(Msg id, std::initializer_list<i18n::Arg> args, std::size_t pos, std::size_t len) {
        error_ = SourceError{i18n::said(lang_, id, args), pos, std::max<std::size_t>(1, len)};
        return nullptr;
    }
    /// Records an error found inside the token at `token_pos`.
    std::shared_ptr<const Node> fail(const SourceError& inner, std::size_t token_pos) {
        error_ = SourceError{inner.message, token_pos + inner.pos, std::max<std::size_t>(1, inner.len)};
        return nullptr;
    }

    std::string_view text_;
    std::vector<Token> toks_;
    Language lang_;
    std::size_t i_ = 0;
    SourceError error_;
};

bool eval(const Node& n, const ConversationSummary& c) {
    auto endpoint_match = [&](auto&& pred) {
        switch (n.side) {
            case Node::Side::Client: return pred(c.client);
            case Node::Side::Server: return pred(c.server);
            case Node::Side::Either: return pred(c.client) || pred(c.server);
        }
        return false;
    };
    switch (n.kind) {
        case Node::Kind::And: return eval(*n.left, c) && eval(*n.right, c);
        case Node::Kind::Or: return eval(*n.left, c) || eval(*n.right, c);
        case Node::Kind::Not: return !eval(*n.left, c);
        case Node::Kind::Id: return std::binary_search(n.ids.begin(), n.ids.end(), c.id);
        case Node::Kind::Port: return endpoint_match([&](const Endpoint& e) { return e.port == n.number; });
        case Node::Kind::Host: return endpoint_match([&](const Endpoint& e) { return e.addr == n.addr; });
        case Node::Kind::Net:
            return endpoint_match([&](const Endpoint& e) { return in_prefix(e.addr, n.addr, n.prefix); });
    }
    return false;
}

}  // namespace

Parsed<Selector> Selector::parse(std::string_view text, Language lang) {
    Selector s;
    s.text_ = std::string(text);
    auto toks = tokenize(text);
    if (toks.empty()) return s;  // empty selector: every connection
    SelParser p(text, std::move(toks), lang);
    auto r = p.run();
    if (auto* e = std::get_if<SourceError>(&r)) return *e;
    s.root_ = std::get<std::shared_ptr<const Node>>(std::move(r));
    return s;
}

bool Selector::matches(const ConversationSummary& c) const { return !root_ || eval(*root_, c); }

}  // namespace tfx::check
