// What a directory of rebuilt streams holds (stream/stream_files.hpp, stream/sha256.hpp):
// SHA-256 against the FIPS 180-4 examples, tcpflow's file names, streams.json rows.

#include <gtest/gtest.h>

#include <cstddef>
#include <span>
#include <string>

#include "stream/sha256.hpp"
#include "stream/stream_files.hpp"
#include "stream/stream_reassembler.hpp"

namespace {

using tfx::Endpoint;
using tfx::IpAddress;
using tfx::stream::Sha256;
using tfx::stream::StreamDigest;

std::span<const std::byte> as_bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::string sha256_of(const std::string& s) {
    Sha256 h;
    h.update(as_bytes(s));
    return h.finish_hex();
}

Endpoint v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
    Endpoint e;
    e.addr.version = 4;
    e.addr.bytes = {a, b, c, d};
    e.port = port;
    return e;
}

// 2001:db8::<last>
Endpoint v6(std::uint8_t last, std::uint16_t port) {
    Endpoint e;
    e.addr.version = 6;
    e.addr.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
    e.port = port;
    return e;
}

// FIPS 180-4's SHA-256 examples (NIST CSRC "SHA256.pdf", and FIPS 180-2 appendix B).
TEST(Sha256, FipsOneBlockMessage) {
    EXPECT_EQ(sha256_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FipsTwoBlockMessage) {
    EXPECT_EQ(sha256_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, EmptyMessage) {
    EXPECT_EQ(sha256_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, FipsLongMessageFedInUnevenPieces) {
    // One million 'a', in pieces of 1, 2, ... 99 bytes so every offset within a block is a cut.
    const std::string million(1'000'000, 'a');
    Sha256 h;
    std::size_t at = 0;
    for (std::size_t piece = 1; at < million.size(); piece = piece % 99 + 1) {
        const std::size_t n = std::min(piece, million.size() - at);
        h.update(as_bytes(million).subspan(at, n));
        at += n;
    }
    EXPECT_EQ(h.finish_hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(StreamFileName, Ipv4IsZeroPaddedAsTcpflowWritesIt) {
    EXPECT_EQ(tfx::stream::stream_file_name(v4(192, 168, 1, 2, 80), v4(10, 0, 0, 1, 51000), 0),
              "192.168.001.002.00080-010.000.000.001.51000");
}

TEST(StreamFileName, Ipv6IsInetNtopTextWithZeroPaddedPorts) {
    EXPECT_EQ(tfx::stream::stream_file_name(v6(1, 443), v6(0x2a, 7), 0), "2001:db8::1.00443-2001:db8::2a.00007");
}

TEST(StreamFileName, VlanFollowsAfterTwoDashes) {
    EXPECT_EQ(tfx::stream::stream_file_name(v4(1, 2, 3, 4, 1), v4(5, 6, 7, 8, 2), 10),
              "001.002.003.004.00001-005.006.007.008.00002--10");
    EXPECT_EQ(tfx::stream::stream_file_name(v4(1, 2, 3, 4, 1), v4(5, 6, 7, 8, 2), (100U << 12) | 20U),
              "001.002.003.004.00001-005.006.007.008.00002--100.20");
}

TEST(StreamFileNames, AReusedFourTupleGetsItsConnectionNumber) {
    tfx::stream::StreamFileNames names;
    const Endpoint c = v4(10, 0, 0, 1, 51000);
    const Endpoint s = v4(10, 0, 0, 2, 80);
    EXPECT_EQ(names.name_for(1, c, s, 0), "010.000.000.001.51000-010.000.000.002.00080");
    EXPECT_EQ(names.name_for(1, s, c, 0), "010.000.000.002.00080-010.000.000.001.51000");
    EXPECT_EQ(names.name_for(4, c, s, 0), "010.000.000.001.51000-010.000.000.002.00080c4");
    // The server opening a connection back on the same ports: its client's bytes would take
    // the name of connection 1's server direction.
    EXPECT_EQ(names.name_for(9, s, c, 0), "010.000.000.002.00080-010.000.000.001.51000c9");
}

TEST(StreamDigest, HashesTheRebuiltStreamAndListsItsGaps) {
    StreamDigest digest;
    tfx::stream::StreamBudget budget;
    tfx::stream::StreamReassembler r(digest, budget);
    const std::string bc = "bc";
    const std::string a = "a";
    r.add({1, as_bytes(bc), 0, 2});  // out of order
    r.add({0, as_bytes(a), 0, 3});
    r.fin(5);
    r.finish();
    EXPECT_EQ(digest.sha256_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // "abc"
    ASSERT_EQ(digest.gaps().size(), 1U);
    EXPECT_EQ(digest.gaps()[0].offset, 3U);
    EXPECT_EQ(digest.gaps()[0].length, 2U);
}

TEST(StreamFileRow, CarriesTheCountsHashAndRanges) {
    tfx::stream::StreamFileRow row;
    row.file = "010.000.000.002.00080-010.000.000.001.51000";
    row.connection = 3;
    row.sender = tfx::Role::Server;
    row.sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    row.totals.delivered_bytes = 1000;
    row.totals.missing_bytes = 24;
    row.totals.missing_ranges = 1;
    row.totals.inconsistent_retransmissions = 1;
    row.gaps.push_back({500, 24, tfx::stream::MissingReason::SnaplenCut});
    tfx::stream::Inconsistency i;
    i.overlap = {10, 4};
    i.differing_bytes = 2;
    i.first = {0, 100};
    i.first_frame = 7;
    i.later = {10, 50};
    i.later_frame = 9;
    row.inconsistencies.push_back(i);
    row.totals.after_rst_bytes = 4;
    row.notes.push_back({tfx::stream::NoteKind::AfterRst, 996, 0});
    const auto j = tfx::stream::stream_file_row(row);
    EXPECT_EQ(j["file"], row.file);
    EXPECT_EQ(j["connection"], 3);
    EXPECT_EQ(j["direction"], "server");
    EXPECT_EQ(j["bytes"], 1000);
    EXPECT_EQ(j["sha256"], row.sha256);
    EXPECT_EQ(j["missing_bytes"], 24);
    EXPECT_EQ(j["missing"].dump(), R"([{"offset":500,"length":24,"reason":"snaplen-cut"}])");
    EXPECT_EQ(j["inconsistent_retransmissions"], 1);
    EXPECT_EQ(j["inconsistencies"].dump(),
              R"([{"offset":10,"length":4,"differing_bytes":2,"first":{"offset":0,"length":100,"frame":7},)"
              R"("later":{"offset":10,"length":50,"frame":9}}])");
    EXPECT_EQ(j["after_rst_bytes"], 4);
    EXPECT_EQ(j["notes"].dump(), R"([{"offset":996,"kind":"after_rst","text":"[after the RST]"}])");
}

}  // namespace
