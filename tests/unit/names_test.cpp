// The names and text forms of the public types (core/types.cpp, core/annotation.cpp):
// addresses as RFC 5952 and inet_ntop write them, annotation codes to names and back.

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string_view>

#include "support/frame_builder.hpp"
#include "tfx/annotation.hpp"
#include "tfx/types.hpp"

using namespace tfx;
using namespace tfx::test;

TEST(Names, Ipv6AddressesAreCompressedAsRfc5952Says) {
    EXPECT_EQ(ip("2001:db8:0:0:1:0:0:1").to_string(), "2001:db8::1:0:0:1");
    EXPECT_EQ(ip("::1").to_string(), "::1");
    EXPECT_EQ(ip("fe80::").to_string(), "fe80::");
    EXPECT_EQ(ip("10.0.0.1").to_string(), "10.0.0.1");
    EXPECT_EQ((Endpoint{ip("::1"), 80}).to_string(), "[::1]:80");
}

// Addresses are written by hand (an octet table, nibbles): the C library's inet_ntop says
// the same for random IPv4 and IPv6 addresses, with runs of zero groups of every length and
// place (inet_ntop also keeps RFC 5952's rules: the longest run of two or more groups, the
// first on a tie). IPv4-mapped and -compatible forms, which inet_ntop writes dotted, are left
// out: we print those in hex like any other IPv6 address.
TEST(Names, AddressesAreWrittenAsInetNtopWritesThem) {
    std::mt19937_64 rng(5952);
    char want[INET6_ADDRSTRLEN];
    for (int i = 0; i < 20000; ++i) {
        IpAddress a;
        a.version = 4;
        for (std::size_t b = 0; b < 4; ++b)
            a.bytes[b] = static_cast<std::uint8_t>(i < 1024 ? (b == static_cast<std::size_t>(i / 256) ? i % 256 : 1)
                                                            : rng() % 256);
        ASSERT_NE(inet_ntop(AF_INET, a.bytes.data(), want, sizeof want), nullptr);
        ASSERT_EQ(a.to_string(), want);
    }
    for (int i = 0; i < 20000; ++i) {
        IpAddress a;
        a.version = 6;
        for (std::size_t g = 0; g < 8; ++g) {
            const unsigned kind = rng() % 4;  // zero groups often, so runs form; short and long groups
            const unsigned v = kind == 0 ? 0 : kind == 1 ? rng() % 16 : kind == 2 ? rng() % 0x1000 : rng() % 0x10000;
            a.bytes[2 * g] = static_cast<std::uint8_t>(v >> 8);
            a.bytes[2 * g + 1] = static_cast<std::uint8_t>(v);
        }
        ASSERT_NE(inet_ntop(AF_INET6, a.bytes.data(), want, sizeof want), nullptr);
        if (std::string_view(want).find('.') != std::string_view::npos) continue;  // mapped/compatible
        ASSERT_EQ(a.to_string(), want);
    }
}

TEST(Names, AnnotationCodesRoundTrip) {
    for (int i = 0; i < kAnnotationCodeCount; ++i) {
        const auto code = static_cast<AnnotationCode>(i);
        EXPECT_EQ(code_from_name(code_name(code)), code);
    }
}
