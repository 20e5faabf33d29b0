// The packed form of a content hint (content/packed_hint.hpp): every field of ContentHint comes
// back as it went in, whatever its length, and the form costs one pointer in the record.

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "content/packed_hint.hpp"

namespace {

using tfx::content::BoundedText;
using tfx::content::ContentHint;
using tfx::content::Kind;
using tfx::content::PackedHint;

void expect_same(const BoundedText& got, const BoundedText& want, const char* what) {
    EXPECT_EQ(got.bytes, want.bytes) << what;
    EXPECT_EQ(got.cut, want.cut) << what;
}

void expect_same(const ContentHint& got, const ContentHint& want) {
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.bytes_needed, want.bytes_needed);
    EXPECT_EQ(got.over_limit, want.over_limit);
    EXPECT_EQ(got.malformed, want.malformed);
    expect_same(got.http.method, want.http.method, "method");
    expect_same(got.http.target, want.http.target, "target");
    expect_same(got.http.version, want.http.version, "version");
    EXPECT_EQ(got.http.status, want.http.status);
    expect_same(got.http.reason, want.http.reason, "reason");
    EXPECT_EQ(got.tls.record_version, want.tls.record_version);
    EXPECT_EQ(got.tls.legacy_version, want.tls.legacy_version);
    EXPECT_EQ(got.tls.version, want.tls.version);
    EXPECT_EQ(got.tls.cipher_suite, want.tls.cipher_suite);
    EXPECT_EQ(got.tls.hello_retry_request, want.tls.hello_retry_request);
    expect_same(got.tls.server_name, want.tls.server_name, "server_name");
    ASSERT_EQ(got.tls.alpn.size(), want.tls.alpn.size());
    for (std::size_t i = 0; i < want.tls.alpn.size(); ++i) expect_same(got.tls.alpn[i], want.tls.alpn[i], "alpn");
    expect_same(got.ssh.protocol, want.ssh.protocol, "protocol");
    expect_same(got.ssh.software, want.ssh.software, "software");
    expect_same(got.ssh.comments, want.ssh.comments, "comments");
    expect_same(got.greeting, want.greeting, "greeting");
}

TEST(PackedHint, HoldsOnePointer) { EXPECT_EQ(sizeof(PackedHint), sizeof(void*)); }

TEST(PackedHint, EmptyUnpacksAsNoHint) {
    const PackedHint none;
    EXPECT_FALSE(none.holds());
    EXPECT_EQ(none.kind(), Kind::Unknown);
    expect_same(none.unpack(), ContentHint{});
}

TEST(PackedHint, DefaultHintComesBack) {
    const PackedHint packed{ContentHint{}};
    EXPECT_TRUE(packed.holds());
    expect_same(packed.unpack(), ContentHint{});
}

TEST(PackedHint, HttpRequestComesBack) {
    ContentHint h;
    h.kind = Kind::HttpRequest;
    h.http.method = {"GET", false};
    h.http.target = {"/obj/ffb0ab38", false};
    h.http.version = {"HTTP/1.1", false};
    const PackedHint packed{h};
    EXPECT_EQ(packed.kind(), Kind::HttpRequest);
    expect_same(packed.unpack(), h);
}

// Every field away from its default, with lengths and numbers that need 1, 2 and 3 bytes of
// LEB128 (127, 128, 300 bytes; 65,535; 70,000).
TEST(PackedHint, EveryFieldComesBack) {
    ContentHint h;
    h.kind = Kind::TlsClientHello;
    h.bytes_needed = 70000;
    h.over_limit = true;
    h.malformed = true;
    h.http.method = {std::string(127, 'M'), true};
    h.http.target = {std::string(128, 'T'), false};
    h.http.version = {"HTTP/1.0", true};
    h.http.status = 65535;
    h.http.reason = {std::string(300, 'r'), true};
    h.tls.record_version = 0x0301;
    h.tls.legacy_version = 0x0303;
    h.tls.version = 0x0304;
    h.tls.cipher_suite = 0xFFFF;
    h.tls.hello_retry_request = true;
    h.tls.server_name = {"example.com", true};
    h.tls.alpn = {{"h2", false}, {"", true}, {std::string(200, 'a'), false}};
    h.ssh.protocol = {"2.0", false};
    h.ssh.software = {"OpenSSH_9.2p1", true};
    h.ssh.comments = {"Debian-2+deb12u6", false};
    h.greeting = {"220 mx.example.com ESMTP", true};
    const PackedHint packed{h};
    EXPECT_EQ(packed.kind(), Kind::TlsClientHello);
    expect_same(packed.unpack(), h);
}

// Each flag alone: none of them is read from another's bit.
TEST(PackedHint, FlagsComeBackAlone) {
    for (int which = 0; which < 3; ++which) {
        ContentHint h;
        h.over_limit = which == 0;
        h.malformed = which == 1;
        h.tls.hello_retry_request = which == 2;
        expect_same(PackedHint{h}.unpack(), h);
    }
}

}  // namespace
