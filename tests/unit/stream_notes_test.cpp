// What a stream shows beyond its bytes, said where it happens, in --follow's text and in the
// notes of streams.json: data on the SYN (RFC 7413), an urgent pointer (RFC 9293 §3.1: it
// points at the byte after the urgent data), bytes past the FIN (not part of the stream),
// bytes after the sender's RST, and a capture that missed the SYN. Each case is a capture
// built here, run through the session and the stream rebuilding.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "stream/follow_printer.hpp"
#include "stream/stream_files.hpp"
#include "support/session_harness.hpp"
#include "support/stream_pipeline.hpp"

namespace {

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

constexpr std::uint32_t kC = 1000;  // the client's ISN
constexpr std::uint32_t kS = 5000;  // the server's ISN

// --follow 1 of the capture (--follow-format text unless told, --color never unless told).
std::string follow_text(const std::vector<TcpSpec>& capture, stream::FollowFormat format = stream::FollowFormat::Text,
                        bool color = false, std::optional<Role> only = std::nullopt) {
    std::FILE* out = std::tmpfile();
    std::string text;
    {
        stream::FollowPrinter printer(out, 1, format, only, color);
        StreamPipeline pipeline(printer);
        for (const TcpSpec& spec : capture) pipeline.send(spec);
        pipeline.finish();
    }
    std::rewind(out);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) text.append(buffer, n);
    std::fclose(out);
    return text;
}

// The notes streams.json lists for the client's file.
struct Digests : stream::DirectionOutputs {
    std::map<Role, stream::StreamDigest> digests;
    stream::StreamSink& opened(const stream::StreamDirection& direction) override { return digests[direction.sender]; }
    void closed(const stream::StreamDirection& /*direction*/, const stream::StreamEnd& /*end*/) override {}
};

nlohmann::ordered_json client_notes(const std::vector<TcpSpec>& capture) {
    Digests outputs;
    StreamPipeline pipeline(outputs);
    for (const TcpSpec& spec : capture) pipeline.send(spec);
    pipeline.finish();
    stream::StreamFileRow row;
    row.notes = outputs.digests[Role::Client].notes();
    return stream::stream_file_row(row)["notes"];
}

// The client's only note in streams.json: its kind and offset checked, the note returned.
nlohmann::ordered_json only_client_note(const std::vector<TcpSpec>& capture, const char* kind, std::uint64_t offset) {
    const auto notes = client_notes(capture);
    EXPECT_EQ(notes.size(), 1u) << notes.dump();
    if (notes.empty()) return {};
    EXPECT_EQ(notes[0]["kind"], kind);
    EXPECT_EQ(notes[0]["offset"], offset);
    return notes[0];
}

TcpSpec with_payload(TcpSpec spec, const std::string& payload) {
    spec.payload = text(payload);
    return spec;
}

std::vector<TcpSpec> handshake(const Peers& p) {
    return {p.c2s(kC, 0, kSyn), p.s2c(kS, kC + 1, kSyn | kAck), p.c2s(kC + 1, kS + 1, kAck)};
}

// `text` holds `first`, and later `second`.
void expect_in_order(const std::string& text, const std::string& first, const std::string& second) {
    const auto at = text.find(first);
    ASSERT_NE(at, std::string::npos) << first << " not in:\n" << text;
    EXPECT_NE(text.find(second, at + first.size()), std::string::npos) << second << " not after " << first << " in:\n"
                                                                       << text;
}

TEST(StreamNotes, data_on_the_syn_is_said_before_it) {
    const Peers p;
    // RFC 7413 §3: the SYN carries 5 bytes; the SYN-ACK acknowledges them (ISN + 1 + 5).
    const std::vector<TcpSpec> capture = {with_payload(p.c2s(kC, 0, kSyn), "hello"), p.s2c(kS, kC + 6, kSyn | kAck),
                                          p.c2s(kC + 6, kS + 1, kAck)};
    expect_in_order(follow_text(capture), "--- client: [data carried on the SYN (TCP Fast Open)]\n",
                    "--- client 10.0.0.1:40000 -> 10.0.0.2:80, offset 0\nhello");
    const auto note = only_client_note(capture, "syn_data", 0);
    EXPECT_EQ(note["text"], "[data carried on the SYN (TCP Fast Open)]");
}

TEST(StreamNotes, an_urgent_pointer_names_the_byte_it_points_at) {
    const Peers p;
    auto capture = handshake(p);
    // 10 bytes from offset 0; the urgent pointer 4 points at seq + 4: offset 4.
    TcpSpec urgent = with_payload(p.c2s(kC + 1, kS + 1, kAck | kPsh | kUrg), "abcdefghij");
    urgent.urgent = 4;
    capture.push_back(urgent);
    capture.push_back(urgent);  // a retransmission: the same pointer is said once
    const std::string text = follow_text(capture);
    expect_in_order(text, "--- client: [urgent pointer: byte 4]\n", "abcdefghij");
    EXPECT_EQ(text.find("urgent pointer", text.find("urgent pointer") + 1), std::string::npos) << text;
    only_client_note(capture, "urgent", 4);
}

TEST(StreamNotes, bytes_after_the_fin_are_said_and_not_delivered) {
    const Peers p;
    auto capture = handshake(p);
    capture.push_back(with_payload(p.c2s(kC + 1, kS + 1, kAck | kPsh), "hello"));
    capture.push_back(p.c2s(kC + 6, kS + 1, kAck | kFin));  // the FIN at offset 5
    capture.push_back(with_payload(p.c2s(kC + 6, kS + 1, kAck | kPsh), "xyz"));
    const std::string text = follow_text(capture);
    expect_in_order(text, "hello", "--- client: [3 bytes after the FIN: not part of the stream]\n");
    EXPECT_EQ(text.find("xyz"), std::string::npos) << text;
    const auto note = only_client_note(capture, "after_fin", 5);
    EXPECT_EQ(note["length"], 3);
}

TEST(StreamNotes, bytes_after_the_rst_are_delivered_after_a_note) {
    const Peers p;
    auto capture = handshake(p);
    capture.push_back(with_payload(p.c2s(kC + 1, kS + 1, kAck | kPsh), "hello"));
    capture.push_back(p.c2s(kC + 6, 0, kRst));
    capture.push_back(with_payload(p.c2s(kC + 6, kS + 1, kAck | kPsh), "more"));
    expect_in_order(follow_text(capture), "hello",
                    "--- client: [after the RST]\n--- client 10.0.0.1:40000 -> "
                    "10.0.0.2:80, offset 5\nmore");
    only_client_note(capture, "after_rst", 5);
}

TEST(StreamNotes, a_capture_without_the_syn_says_where_offset_0_is) {
    const Peers p;
    const std::vector<TcpSpec> capture = {with_payload(p.c2s(kC + 1, kS + 1, kAck | kPsh), "GET /"),
                                          p.s2c(kS + 1, kC + 6, kAck)};
    expect_in_order(follow_text(capture),
                    "--- client: [the capture starts mid-stream: offset 0 is the first byte seen]\n",
                    "--- client 10.0.0.1:40000 -> 10.0.0.2:80, offset 0\nGET /");
    only_client_note(capture, "mid_stream", 0);
    // With the handshake captured, nothing is said.
    auto full = handshake(p);
    full.push_back(capture[0]);
    EXPECT_TRUE(client_notes(full).empty());
}

// --color always: each side's bytes come after its colour (ECMA-48 SGR 31 red for the client,
// 34 blue for the server, as Wireshark's Follow TCP Stream colours them), a gap in the
// walkthrough's finding colour (SGR 33); never in raw, never without --color.
TEST(FollowColor, each_side_is_preceded_by_its_escape_sequence) {
    const Peers p;
    auto capture = handshake(p);
    capture.push_back(with_payload(p.c2s(kC + 1, kS + 1, kAck | kPsh), "ping"));
    capture.push_back(with_payload(p.s2c(kS + 1, kC + 5, kAck | kPsh), "pong"));
    capture.push_back(with_payload(p.c2s(kC + 9, kS + 5, kAck | kPsh), "lost after"));  // 4 bytes never captured
    const std::string colored = follow_text(capture, stream::FollowFormat::Text, true);
    EXPECT_NE(colored.find("\033[31mping\033[0m"), std::string::npos) << colored;
    EXPECT_NE(colored.find("\033[34mpong\033[0m"), std::string::npos) << colored;
    EXPECT_NE(colored.find("\033[33m--- client: 4 bytes missing at offset 4"), std::string::npos) << colored;
    EXPECT_EQ(follow_text(capture).find('\033'), std::string::npos) << "no colour unless asked";
    const std::string raw = follow_text(capture, stream::FollowFormat::Raw, true, Role::Client);
    EXPECT_EQ(raw, "pinglost after") << "raw: the client's bytes and nothing else";
}

}  // namespace
