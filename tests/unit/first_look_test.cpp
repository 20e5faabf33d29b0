// The glance at a direction's first bytes (src/content/first_look.hpp): the recognizers it
// keeps for each signature's start, and that every recognizer it leaves out answers "not my
// kind" for those bytes (so identify() gives what it would without the glance).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/content_hint.hpp"
#include "content/first_look.hpp"

namespace {

using tfx::content::ContentHint;
using tfx::content::Kind;
using tfx::content::detail::kRecognizerCount;
using tfx::content::detail::possible_recognizers;
using tfx::content::detail::Recognizer;
using tfx::content::detail::Recognizers;

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

Recognizers of(std::string_view s) { return possible_recognizers(bytes_of(s)); }

TEST(FirstLook, NothingForNoBytes) { EXPECT_TRUE(possible_recognizers({}).empty()); }

TEST(FirstLook, BinaryStartKeepsNone) {
    // 0x00 and 0xFF start no signature; 0x16 0x01 is a handshake record of no 3.x version.
    EXPECT_TRUE(possible_recognizers(Bytes{0x00, 0x01, 0x02, 0x03}).empty());
    EXPECT_TRUE(possible_recognizers(Bytes{0xFF, 0x16, 0x03, 0x01}).empty());
    EXPECT_TRUE(possible_recognizers(Bytes{0x16, 0x01, 0x00, 0x05}).empty());
}

TEST(FirstLook, TlsRecordHeader) {
    // RFC 8446 §5.1: ContentType handshake (22), legacy_record_version 0x0301.
    const Recognizers r = possible_recognizers(Bytes{0x16, 0x03, 0x01, 0x00, 0x05, 0x01});
    EXPECT_TRUE(r.has(Recognizer::TlsHello));
    EXPECT_FALSE(r.has(Recognizer::HttpRequest));
    EXPECT_TRUE(possible_recognizers(Bytes{0x16}).has(Recognizer::TlsHello));
}

TEST(FirstLook, HttpStarts) {
    EXPECT_TRUE(of("GET / HTTP/1.1\r\n").has(Recognizer::HttpRequest));
    EXPECT_TRUE(of("GE").has(Recognizer::HttpRequest));  // a method still arriving
    EXPECT_FALSE(of("GET\r\n").has(Recognizer::HttpRequest));
    EXPECT_FALSE(of("\x01GET ").has(Recognizer::HttpRequest));
    // "HTTP/" is no method token ('/' is not a tchar, RFC 9110 §5.6.2).
    const Recognizers response = of("HTTP/1.1 200 OK\r\n");
    EXPECT_TRUE(response.has(Recognizer::HttpResponse));
    EXPECT_FALSE(response.has(Recognizer::HttpRequest));
    // RFC 9113 §3.4: the preface starts like a request line.
    const Recognizers preface = of("PRI * HTTP/2.0\r\n");
    EXPECT_TRUE(preface.has(Recognizer::Http2Preface));
    EXPECT_TRUE(preface.has(Recognizer::HttpRequest));
}

TEST(FirstLook, BannersAndGreetings) {
    EXPECT_TRUE(of("SSH-2.0-OpenSSH_9.2p1\r\n").has(Recognizer::SshBanner));
    // RFC 4253 §4.2: other lines may come first.
    EXPECT_TRUE(of("\x01welcome\r\nSSH-2.0-x\r\n").has(Recognizer::SshBanner));
    EXPECT_TRUE(of("220 mx.example.com ESMTP\r\n").has(Recognizer::Greeting220));
    EXPECT_TRUE(of("+OK POP3 ready\r\n").has(Recognizer::PopGreeting));
    EXPECT_TRUE(of("* OK IMAP4rev2\r\n").has(Recognizer::ImapGreeting));
    EXPECT_FALSE(of("+OK").has(Recognizer::ImapGreeting));
}

TEST(FirstLook, LeftOutRecognizersFindNothing) {
    const std::vector<std::string> tails = {"",
                                            " ",
                                            std::string("\x03\x01\x00\x05\x01", 5),
                                            "ET / HTTP/1.1\r\n",
                                            "RI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                                            "TTP/1.1 200 OK\r\n",
                                            "SH-2.0-x\r\n",
                                            "20 x\r\n",
                                            "OK\r\n",
                                            " OK\r\n",
                                            "x\r\nSSH-2.0-x\r\n",
                                            "ET"};
    for (unsigned first = 0; first < 256; ++first) {
        for (const std::string& tail : tails) {
            Bytes b{static_cast<std::uint8_t>(first)};
            b.insert(b.end(), tail.begin(), tail.end());
            const Recognizers possible = possible_recognizers(b);
            for (std::size_t i = 0; i < kRecognizerCount; ++i) {
                const auto r = static_cast<Recognizer>(i);
                if (possible.has(r)) continue;
                for (const std::uint16_t port : {std::uint16_t{21}, std::uint16_t{25}, std::uint16_t{80}}) {
                    const ContentHint h = tfx::content::detail::recognize(r, b, port);
                    EXPECT_EQ(h.kind, Kind::Unknown) << first << " " << tail << " recognizer " << i;
                    EXPECT_EQ(h.bytes_needed, 0U) << first << " " << tail << " recognizer " << i;
                }
            }
        }
    }
}

TEST(FirstLook, IdentifyOfUnmatchableBytesIsEmpty) {
    const ContentHint h = tfx::content::identify(Bytes{0x00, 0xFF, 0x10, 0x20}, 80);
    EXPECT_EQ(h.kind, Kind::Unknown);
    EXPECT_EQ(h.bytes_needed, 0U);
}

}  // namespace
