#pragma once
// Hand-built inputs of the `check` tests: expectations parsed (a parse error fails the
// test), checks made of them, and the facts of two connections like
// samples/seed-pouet.pcap (one graceful, one the server reset after a retransmission).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "check/collector.hpp"
#include "check/evaluate.hpp"
#include "check/expectation.hpp"
#include "check/selector.hpp"

namespace tfx::check::test {

using namespace std::chrono_literals;

inline Expectation parse_ok(const std::string& text) {
    auto r = parse_expectation(text);
    if (auto* e = std::get_if<SourceError>(&r)) {
        ADD_FAILURE() << format_source_error("expect", text, *e);
        return {};
    }
    return std::get<Expectation>(r);
}

inline IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    IpAddress ip;
    ip.version = 4;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
}

/// A graceful loopback connection like samples/seed-pouet.pcap.
inline ConnectionFacts graceful(ConversationId id, std::uint16_t client_port = 52200) {
    ConnectionFacts f;
    auto& s = f.summary;
    s.id = id;
    s.client = Endpoint{v4(127, 0, 0, 1), client_port};
    s.server = Endpoint{v4(127, 0, 0, 1), 1025};
    s.first_ts = Timestamp(1'000'000'000);
    s.last_ts = Timestamp(1'193'981'000);
    s.handshake = HandshakeOutcome::Complete;
    s.handshake_rtt = 26us;
    s.close = CloseKind::Graceful;
    s.closed_by = Role::Client;
    s.end_reason = "closed";
    s.conn_state = "SF";
    s.history = "ShADadFf";
    s.dir[0].packets = 5;
    s.dir[1].packets = 3;
    s.dir[0].payload_bytes = 6;
    s.dir[1].payload_bytes = 0;
    s.dir[0].unique_bytes = 6;
    s.dir[0].mss = 65495;
    s.dir[1].mss = 65495;
    s.dir[0].window_scale = 7;
    s.dir[1].window_scale = 7;
    s.dir[0].sack_permitted = s.dir[1].sack_permitted = true;
    s.dir[0].timestamps = s.dir[1].timestamps = true;
    s.dir[0].fins = s.dir[1].fins = 1;
    s.dir[0].syns = s.dir[1].syns = 1;
    using namespace tcpflag;
    f.handshake_flags = {kSyn, static_cast<std::uint16_t>(kSyn | kAck), kAck};
    f.teardown_flags = {static_cast<std::uint16_t>(kFin | kAck), static_cast<std::uint16_t>(kFin | kAck), kAck};
    auto line = [&](FrameIndex n, Role who, std::uint16_t flags, Phase ph) {
        SegmentLine l;
        l.frame = n;
        l.since_start = std::chrono::microseconds(n * 10);
        l.sender = who;
        l.flags = flags;
        l.phase = ph;
        f.lines.push_back(l);
    };
    line(1, Role::Client, kSyn, Phase::Handshake);
    line(2, Role::Server, kSyn | kAck, Phase::Handshake);
    line(3, Role::Client, kAck, Phase::Handshake);
    line(6, Role::Client, kFin | kAck, Phase::Teardown);
    line(7, Role::Server, kFin | kAck, Phase::Teardown);
    line(8, Role::Client, kAck, Phase::Teardown);
    return f;
}

/// A connection the server aborted with RST after one retransmission.
inline ConnectionFacts reset_by_server(ConversationId id) {
    ConnectionFacts f = graceful(id, 40000);
    auto& s = f.summary;
    s.close = CloseKind::Reset;
    s.closed_by = Role::Server;
    s.conn_state = "RSTR";
    s.history = "ShADar";
    s.dir[1].rsts = 1;
    s.dir[0].fins = s.dir[1].fins = 0;
    s.counts[static_cast<std::size_t>(AnnotationCode::Retransmission)] = 1;
    s.dir[0].payload_bytes = 106;
    s.dir[0].unique_bytes = 6;
    s.dir[0].retransmitted_bytes = 100;
    using namespace tcpflag;
    f.teardown_flags = {static_cast<std::uint16_t>(kRst | kAck)};
    f.lines.resize(3);
    SegmentLine retrans;
    retrans.frame = 5;
    retrans.sender = Role::Client;
    retrans.flags = kPsh | kAck;
    retrans.rel_seq = 1;
    retrans.payload_len = 100;
    retrans.codes[0] = AnnotationCode::Retransmission;
    retrans.code_count = 1;
    f.lines.push_back(retrans);
    SegmentLine rst;
    rst.frame = 9;
    rst.sender = Role::Server;
    rst.flags = kRst | kAck;
    rst.phase = Phase::Teardown;
    f.lines.push_back(rst);
    return f;
}

inline Check make_check(const std::string& expr, Quantifier q = {}, const std::string& sel = {}) {
    Check c;
    c.expect = parse_ok(expr);
    c.name = c.expect.text;
    c.quantifier = q;
    auto s = Selector::parse(sel);
    EXPECT_TRUE(std::holds_alternative<Selector>(s)) << sel;
    if (auto* p = std::get_if<Selector>(&s)) c.select = *p;
    return c;
}

}  // namespace tfx::check::test
