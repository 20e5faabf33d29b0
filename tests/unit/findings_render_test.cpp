// The options for reading a big capture: which segments --findings-only keeps, the findings
// tally's bound, the time column's formats, and the --summary table's column layout.

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "render/findings.hpp"
#include "render/time_column.hpp"
#include "tfx/render.hpp"

namespace tfx::render {
namespace {

ConversationSummary connection_with(ConversationId id, AnnotationCode code, std::uint32_t count) {
    ConversationSummary s;
    s.id = id;
    s.counts[static_cast<std::size_t>(code)] = count;
    return s;
}

TEST(FindingsTally, CountsStayExactWhenTheConnectionListIsCapped) {
    FindingsTally tally;
    constexpr ConversationId kConnections = 250;  // 2.5 times the cap
    for (ConversationId id = 1; id <= kConnections; ++id)
        tally.add(connection_with(id, AnnotationCode::Retransmission, 3));
    const auto& e = tally.entry(AnnotationCode::Retransmission);
    EXPECT_EQ(e.findings, 750U);  // 250 connections x 3
    EXPECT_EQ(e.connections, 250U);
    ASSERT_EQ(e.first_ids.size(), FindingsTally::kListedConnections);
    EXPECT_EQ(e.first_ids.front(), 1U);
    EXPECT_EQ(e.first_ids.back(), static_cast<ConversationId>(FindingsTally::kListedConnections));
}

// What the text renderer writes for these connections and segments.
std::string rendered(const RenderOptions& o, const std::vector<ConversationSummary>& connections,
                     const std::vector<AnnotatedSegment>& segments = {}) {
    std::FILE* out = std::tmpfile();
    EXPECT_NE(out, nullptr);
    if (out == nullptr) return {};
    auto renderer = make_renderer(OutputFormat::Text, out, o);
    renderer->capture_started(CaptureInfo{});
    for (const auto& s : segments) renderer->segment(s);
    for (const auto& c : connections) renderer->conversation_closed(c);
    renderer->capture_finished(CaptureSummary{});
    std::rewind(out);
    std::string text;
    for (int c; (c = std::fgetc(out)) != EOF;) text.push_back(static_cast<char>(c));
    std::fclose(out);
    return text;
}

TEST(FindingsTally, TextListsFiveConnectionsThenHowManyMore) {
    RenderOptions o;
    o.findings_tally = true;
    std::vector<ConversationSummary> connections;
    for (ConversationId id = 1; id <= 7; ++id)
        connections.push_back(connection_with(id, AnnotationCode::ZeroWindow, 2));
    const std::string written = rendered(o, connections);
    // 7 connections x 2 zero windows; five listed, the other two counted.
    EXPECT_NE(written.find("\n  zero_window     14  1, 2, 3, 4, 5 and 2 more\n"), std::string::npos) << written;
}

TEST(FindingsTally, InfoAnnotationsAreNotFindings) {
    FindingsTally tally;
    tally.add(connection_with(1, AnnotationCode::WindowUpdate, 4));  // Info: normal traffic
    tally.add(connection_with(2, AnnotationCode::KeepAlive, 1));     // Info
    EXPECT_TRUE(tally.empty());
    tally.add(connection_with(3, AnnotationCode::DuplicateAck, 2));  // Note
    EXPECT_FALSE(tally.empty());
    EXPECT_EQ(tally.entry(AnnotationCode::DuplicateAck).findings, 2U);
    EXPECT_EQ(tally.entry(AnnotationCode::WindowUpdate).findings, 0U);
}

TEST(FindingsOnly, KeepsStateChangesAndFindingsOnly) {
    AnnotatedSegment plain;
    plain.has_tcp = true;
    EXPECT_FALSE(shown_when_findings_only(plain));

    AnnotatedSegment update = plain;
    update.add({AnnotationCode::WindowUpdate});
    EXPECT_FALSE(shown_when_findings_only(update));

    AnnotatedSegment dup = plain;
    dup.add({AnnotationCode::DuplicateAck});
    EXPECT_TRUE(shown_when_findings_only(dup));

    AnnotatedSegment syn = plain;
    syn.changes[0] = {Role::Client, TcpState::Closed, TcpState::SynSent};
    syn.change_count = 1;
    EXPECT_TRUE(shown_when_findings_only(syn));
}

std::string text_of(void (*write)(fmt::memory_buffer&, Timestamp, bool), Timestamp ts) {
    fmt::memory_buffer out;
    write(out, ts, false);
    return {out.data(), out.size()};
}

std::string epoch_of(Timestamp ts) {
    fmt::memory_buffer out;
    append_epoch_time(out, ts);
    return {out.data(), out.size()};
}

// 951782400 s after the epoch is 2000-02-29 00:00:00 UTC (30 years of 365 days, 7 leap days
// before 2000, then 31 + 28 days of 2000: 11016 days x 86400 s).
constexpr Timestamp kLeapDay{951'782'400'123'456'789};

TEST(TimeColumn, WallTimeIsIso8601InUtcWithMicroseconds) {
    EXPECT_EQ(text_of(append_wall_time, Timestamp{0}), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(text_of(append_wall_time, kLeapDay), "2000-02-29T00:00:00.123456Z");
    EXPECT_EQ(text_of(append_wall_time, Timestamp{-500'000'000}), "1969-12-31T23:59:59.500000Z");
    EXPECT_EQ(text_of(append_wall_time, kLeapDay + std::chrono::seconds(86399)), "2000-02-29T23:59:59.123456Z");
}

TEST(TimeColumn, EpochIsSecondsAndMicroseconds) {
    EXPECT_EQ(epoch_of(kLeapDay), "951782400.123456");
    EXPECT_EQ(epoch_of(Timestamp{0}), "0.000000");
    EXPECT_EQ(epoch_of(Timestamp{-500'000'000}), "-0.500000");
}

TEST(TimeColumn, DeltaIsPerConnectionAndRelativeIsCaptureWide) {
    auto segment = [](ConversationId c, std::int64_t ms) {
        AnnotatedSegment s;
        s.conversation = c;
        s.ts = std::chrono::milliseconds(1000 + ms);
        s.since_capture_start = std::chrono::milliseconds(3 + ms);  // the capture began 3 ms earlier
        return s;
    };
    auto times = [&](TimeFormat format) {
        TimeColumn column(format, false);
        fmt::memory_buffer out;
        for (const auto& s : {segment(1, 0), segment(2, 5), segment(1, 7), segment(2, 20)}) {
            column.append(out, s);
            out.push_back(' ');
        }
        return std::string(out.data(), out.size());
    };
    EXPECT_EQ(times(TimeFormat::Relative), "+0.003000 +0.008000 +0.010000 +0.023000 ");
    EXPECT_EQ(times(TimeFormat::Delta), "+0.000000 +0.000000 +0.007000 +0.015000 ");
}

TEST(TextColours, ResetFlagsHaveTheirOwnColour) {
    RenderOptions o;
    o.color = true;
    AnnotatedSegment rst;
    rst.has_tcp = true;
    rst.conversation = 1;
    rst.frame = 1;
    rst.flags = tcpflag::kRst | tcpflag::kAck;
    rst.meaning = SegmentMeaning::Reset;
    AnnotatedSegment ack = rst;
    ack.frame = 2;
    ack.flags = tcpflag::kAck;
    ack.meaning = SegmentMeaning::Ack;
    const std::string text = rendered(o, {}, {rst, ack});
    // SGR 1;91: bold bright red (ECMA-48); 1;36: bold cyan, the other flags' colour.
    EXPECT_NE(text.find("\033[1;91mRST-ACK"), std::string::npos) << text;
    EXPECT_NE(text.find("\033[1;36mACK"), std::string::npos) << text;
    EXPECT_EQ(text.find("\033[1;36mRST"), std::string::npos) << text;
}

// An IPv6 endpoint from its text.
Endpoint v6_endpoint(const char* address, std::uint16_t port) {
    Endpoint e;
    e.addr.version = 6;
    EXPECT_EQ(inet_pton(AF_INET6, address, e.addr.bytes.data()), 1) << address;
    e.port = port;
    return e;
}

// Where each whitespace-separated word of `line` starts and ends.
std::vector<std::pair<std::size_t, std::size_t>> word_spans(const std::string& line) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const std::regex word(R"(\S+)");
    for (auto it = std::sregex_iterator(line.begin(), line.end(), word); it != std::sregex_iterator(); ++it)
        spans.emplace_back(static_cast<std::size_t>(it->position()),
                           static_cast<std::size_t>(it->position() + it->length()));
    return spans;
}

TEST(SummaryTable, LongIpv6AddressesAndVerdictsKeepTheColumnsInLine) {
    RenderOptions o;
    o.summary_only = true;
    ConversationSummary a;
    a.id = 1;
    // "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:50000": 43 characters, the address columns' least
    // width is 24.
    a.client = v6_endpoint("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", 50000);
    a.server = v6_endpoint("2001:db8:aaaa:bbbb:cccc:dddd:eeee:2", 443);
    a.close = CloseKind::ClosingIncomplete;  // "closing_incomplete": 18 characters, column of 12
    a.conn_state = "SF";
    a.history = "ShADadf";
    ConversationSummary b;
    b.id = 2;
    b.client.addr.version = 4;
    b.client.addr.bytes = {10, 0, 0, 1};
    b.client.port = 1;
    b.server = b.client;
    b.conn_state = "S0";
    b.history = "S";
    const std::string text = rendered(o, {a, b});

    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    ASSERT_EQ(lines.size(), 3U);
    // Right-aligned columns end where their header ends, left-aligned ones start where it
    // starts (the layout documented for --summary): id, client, server, duration, pkts>,
    // pkts<, bytes>, bytes<, rexmt, handshake, rtt_ms, close, by, state, history.
    const std::vector<bool> right = {true, false, false, true,  true,  true,  true, true,
                                     true, false, true,  false, false, false, false};
    const auto header = word_spans(lines[0]);
    ASSERT_EQ(header.size(), right.size());
    for (std::size_t row = 1; row < lines.size(); ++row) {
        const auto cells = word_spans(lines[row]);
        ASSERT_EQ(cells.size(), right.size()) << lines[row];
        for (std::size_t i = 0; i < right.size(); ++i) {
            if (right[i])
                EXPECT_EQ(cells[i].second, header[i].second) << "column " << i << " of row " << row;
            else
                EXPECT_EQ(cells[i].first, header[i].first) << "column " << i << " of row " << row;
        }
    }
    // The address columns are as wide as the longest address (43) and one space apart.
    EXPECT_EQ(header[2].first - header[1].first, 44U);
}

}  // namespace
}  // namespace tfx::render
