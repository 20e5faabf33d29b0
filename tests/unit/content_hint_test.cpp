// What is inside a connection (src/content): hints from real first bytes recorded on this
// machine (tests/data/content/README.md says how, and which facts each file carries),
// from the RFCs' own examples, and from truncated and hostile inputs built here.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "content/content_hint.hpp"
#include "content/describe.hpp"
#include "content/hint_fields.hpp"

namespace {

using tfx::content::ContentHint;
using tfx::content::describe;
using tfx::content::hint_field_names;
using tfx::content::hint_fields;
using tfx::content::HintField;
using tfx::content::identify;
using tfx::content::identify_connection;
using tfx::content::Kind;
using tfx::content::kMaxHelloBytes;
using tfx::content::kMaxLineBytes;
using tfx::content::kMaxTextBytes;

using Bytes = std::vector<std::uint8_t>;

Bytes fixture(const std::string& name) {
    std::ifstream in(std::string(TFX_SOURCE_DIR) + "/tests/data/content/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::vector<std::string> alpn_of(const ContentHint& h) {
    std::vector<std::string> out;
    for (const auto& name : h.tls.alpn) out.push_back(name.bytes);
    return out;
}

const HintField* field(const std::vector<HintField>& fields, std::string_view name) {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

// ---- TLS, bytes built here --------------------------------------------------------------

void put16(Bytes& b, std::size_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put24(Bytes& b, std::size_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 16));
    put16(b, v & 0xFFFFU);
}
void append(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }

Bytes extension(std::uint16_t type, const Bytes& data) {
    Bytes e;
    put16(e, type);
    put16(e, data.size());
    append(e, data);
    return e;
}

/// RFC 6066 §3 server_name extension data with one host_name.
Bytes server_name_data(std::string_view host) {
    Bytes entry{0};  // host_name
    put16(entry, host.size());
    append(entry, text(host));
    Bytes d;
    put16(d, entry.size());
    append(d, entry);
    return d;
}

/// RFC 7301 §3.1 ProtocolNameList.
Bytes alpn_data(const std::vector<std::string>& names) {
    Bytes list;
    for (const auto& n : names) {
        list.push_back(static_cast<std::uint8_t>(n.size()));
        append(list, text(n));
    }
    Bytes d;
    put16(d, list.size());
    append(d, list);
    return d;
}

/// A ClientHello handshake message (RFC 8446 §4.1.2): legacy_version 0x0303, a zero random,
/// an empty session id, one cipher suite, null compression, then `extensions` as given.
Bytes client_hello_message(const Bytes& extensions, std::uint8_t session_id_length = 0) {
    Bytes body;
    put16(body, 0x0303);
    body.insert(body.end(), 32, 0);
    body.push_back(session_id_length);
    body.insert(body.end(), std::min<std::size_t>(session_id_length, 32), 0);
    put16(body, 2);
    put16(body, 0x1301);
    body.push_back(1);
    body.push_back(0);
    put16(body, extensions.size());
    append(body, extensions);
    Bytes m{1};  // client_hello
    put24(m, body.size());
    append(m, body);
    return m;
}

/// `message` in handshake records of at most `fragment` bytes each (RFC 8446 §5.1).
Bytes in_records(const Bytes& message, std::size_t fragment = 16384) {
    Bytes out;
    for (std::size_t off = 0; off < message.size(); off += fragment) {
        const std::size_t n = std::min(fragment, message.size() - off);
        out.push_back(22);
        put16(out, 0x0301);
        put16(out, n);
        out.insert(out.end(), message.begin() + static_cast<std::ptrdiff_t>(off),
                   message.begin() + static_cast<std::ptrdiff_t>(off + n));
    }
    return out;
}

Bytes sni_alpn_extensions(std::string_view host, const std::vector<std::string>& alpn) {
    Bytes e = extension(0, server_name_data(host));
    append(e, extension(16, alpn_data(alpn)));
    return e;
}

// ---- Real TLS hellos ----------------------------------------------------------------------

TEST(ContentTls, OpensslClientHelloGivesTheServerNameAndAlpnItWasAskedFor) {
    const ContentHint h = identify(fixture("tls13-client-hello-sni-alpn.bin"), 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_EQ(h.tls.server_name.bytes, "example.com");
    EXPECT_EQ(alpn_of(h), (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(h.tls.legacy_version, 0x0303);  // RFC 8446 §4.1.2: always 0x0303
    EXPECT_EQ(h.tls.version, 0x0304);         // the session was TLSv1.3
    EXPECT_EQ(h.tls.record_version, 0x0301);  // RFC 8446 §5.1: 0x0301 allowed for the first record
    EXPECT_EQ(h.bytes_needed, 0U);
    EXPECT_FALSE(h.malformed);
    EXPECT_FALSE(h.over_limit);
    EXPECT_EQ(describe(h), "a TLS ClientHello for example.com, up to TLS 1.3 (ALPN h2, http/1.1)");
}

TEST(ContentTls, EveryTruncationOfTheClientHelloAsksForItsExactLength) {
    const Bytes all = fixture("tls13-client-hello-sni-alpn.bin");
    constexpr std::size_t kRecordBytes = 5 + 0x014a;  // its record header says 0x014a
    ASSERT_GE(all.size(), kRecordBytes);
    for (std::size_t n = 1; n < kRecordBytes; ++n) {
        const ContentHint h = identify(std::span(all).first(n), 443);
        if (n < 6) {  // the record header and the handshake type decide the kind
            EXPECT_EQ(h.kind, Kind::Unknown) << n;
            EXPECT_EQ(h.bytes_needed, 6U) << n;
        } else {
            EXPECT_EQ(h.kind, Kind::TlsClientHello) << n;
            EXPECT_EQ(h.bytes_needed, kRecordBytes) << n;
        }
        EXPECT_FALSE(h.malformed) << n;
        EXPECT_FALSE(describe(h).empty() && h.kind != Kind::Unknown) << n;
    }
    const ContentHint whole = identify(std::span(all).first(kRecordBytes), 443);
    EXPECT_EQ(whole.bytes_needed, 0U);
    EXPECT_EQ(whole.tls.server_name.bytes, "example.com");
}

TEST(ContentTls, ClientHelloFragmentedOverTwoRecordsIsGatheredWhole) {
    const Bytes all = fixture("tls13-client-hello-two-records.bin");
    const ContentHint h = identify(all, 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_EQ(h.bytes_needed, 0U);
    EXPECT_FALSE(h.malformed);
    EXPECT_EQ(h.tls.server_name.bytes, "www.example.com");
    const auto alpn = alpn_of(h);
    ASSERT_EQ(alpn.size(), 12U);  // h2, http/1.1 and ten long names, as typed
    EXPECT_EQ(alpn.front(), "h2");
    EXPECT_EQ(alpn.back(), "x-long-alpn-protocol-name-number-10");
    EXPECT_EQ(describe(h),
              "a TLS ClientHello for www.example.com, up to TLS 1.3 (ALPN h2, http/1.1, "
              "x-long-alpn-protocol-name-number-1, x-long-alpn-protocol-name-number-2 and 8 more)");
    // Records of 512 and 173 bytes: 5 + 512 + 5 + 173 = 695 bytes carry it.
    constexpr std::size_t kBoth = 695;
    for (const std::size_t n : {std::size_t{100}, std::size_t{517}, std::size_t{520}, std::size_t{694}}) {
        const ContentHint part = identify(std::span(all).first(n), 443);
        EXPECT_EQ(part.kind, Kind::TlsClientHello) << n;
        EXPECT_EQ(part.bytes_needed, kBoth) << n;
        EXPECT_FALSE(part.malformed) << n;
    }
    EXPECT_EQ(identify(std::span(all).first(kBoth), 443).bytes_needed, 0U);
}

TEST(ContentTls, TlsOnePointThreeServerHelloHasNoAlpnInTheClear) {
    const ContentHint h = identify(fixture("tls13-server-hello-alpn-h2.bin"), 443);
    EXPECT_EQ(h.kind, Kind::TlsServerHello);
    EXPECT_EQ(h.tls.version, 0x0304);
    EXPECT_EQ(h.tls.legacy_version, 0x0303);
    EXPECT_EQ(h.tls.cipher_suite, 0x1302);  // TLS_AES_256_GCM_SHA384, RFC 8446 B.4
    EXPECT_TRUE(h.tls.alpn.empty());        // RFC 8446 §4.3.1: ALPN is in EncryptedExtensions
    EXPECT_FALSE(h.tls.hello_retry_request);
    EXPECT_FALSE(h.malformed);
    EXPECT_EQ(describe(h), "a TLS ServerHello, TLS 1.3");
}

TEST(ContentTls, TlsOnePointTwoServerHelloSaysTheSelectedAlpn) {
    const ContentHint h = identify(fixture("tls12-server-hello-alpn-http11.bin"), 443);
    EXPECT_EQ(h.kind, Kind::TlsServerHello);
    EXPECT_EQ(h.tls.version, 0x0303);
    EXPECT_EQ(h.tls.cipher_suite, 0xC030);  // ECDHE-RSA-AES256-GCM-SHA384, RFC 5289
    EXPECT_EQ(alpn_of(h), std::vector<std::string>{"http/1.1"});
    EXPECT_EQ(describe(h), "a TLS ServerHello, TLS 1.2 (ALPN http/1.1)");

    const ContentHint bare = identify(fixture("tls12-server-hello-no-alpn.bin"), 443);
    EXPECT_EQ(bare.tls.version, 0x0303);
    EXPECT_TRUE(bare.tls.alpn.empty());
}

TEST(ContentTls, ClientHelloOfferingTlsOnePointThreeToATlsOnePointTwoServer) {
    const auto hints = identify_connection(fixture("tls-client-hello-to-tls12-server.bin"),
                                           fixture("tls12-server-hello-alpn-http11.bin"), 443);
    EXPECT_EQ(hints.client.tls.version, 0x0304);
    EXPECT_EQ(hints.client.tls.server_name.bytes, "example.com");
    EXPECT_EQ(hints.server.tls.version, 0x0303);
}

TEST(ContentTls, ClientHelloWithoutServerNameOrSupportedVersions) {
    const ContentHint h = identify(fixture("tls12-client-hello-no-sni.bin"), 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_TRUE(h.tls.server_name.empty());
    EXPECT_TRUE(h.tls.alpn.empty());
    EXPECT_EQ(h.tls.version, 0x0303);  // legacy_version, nothing else offered
    EXPECT_FALSE(h.malformed);
    EXPECT_EQ(describe(h), "a TLS ClientHello without a server name, up to TLS 1.2");
}

// ---- TLS, built and hostile -----------------------------------------------------------------

TEST(ContentTls, BuiltClientHelloInTenByteRecordsReadsTheSameAsInOne) {
    const Bytes m = client_hello_message(sni_alpn_extensions("a.example", {"h2", "http/1.1"}));
    const ContentHint one = identify(in_records(m), 443);
    const ContentHint many = identify(in_records(m, 10), 443);
    for (const ContentHint& h : {one, many}) {
        EXPECT_EQ(h.kind, Kind::TlsClientHello);
        EXPECT_EQ(h.tls.server_name.bytes, "a.example");
        EXPECT_EQ(alpn_of(h), (std::vector<std::string>{"h2", "http/1.1"}));
        EXPECT_FALSE(h.malformed);
        EXPECT_EQ(h.bytes_needed, 0U);
    }
}

TEST(ContentTls, ServerNameClaimingSixtyFiveThousandBytesIsMalformedAndNotRead) {
    Bytes sni{0x00, 0x05, 0x00, 0xFF, 0xFF, 'x', 'y'};  // a list of 5 bytes: a host_name of "65535"
    const ContentHint h = identify(in_records(client_hello_message(extension(0, sni))), 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_TRUE(h.malformed);
    EXPECT_TRUE(h.tls.server_name.empty());
    EXPECT_EQ(h.bytes_needed, 0U);
}

TEST(ContentTls, ExtensionLengthPastTheEndOfAWholeMessageIsMalformed) {
    Bytes ext;
    put16(ext, 0);
    put16(ext, 0xFFFF);  // server_name of 65535 bytes, with none following
    const ContentHint h = identify(in_records(client_hello_message(ext)), 443);
    EXPECT_TRUE(h.malformed);
    EXPECT_EQ(h.bytes_needed, 0U);  // the message is whole: more bytes would not help
}

TEST(ContentTls, ZeroLengthExtensions) {
    // extended_master_secret (23, RFC 7627) is empty by definition: fine.
    const ContentHint ems = identify(in_records(client_hello_message(extension(23, {}))), 443);
    EXPECT_FALSE(ems.malformed);
    // server_name and ALPN must hold a non-empty list (RFC 6066 §3, RFC 7301 §3.1).
    const ContentHint sni = identify(in_records(client_hello_message(extension(0, {}))), 443);
    EXPECT_TRUE(sni.malformed);
    const ContentHint alpn = identify(in_records(client_hello_message(extension(16, {}))), 443);
    EXPECT_TRUE(alpn.malformed);
    Bytes empty_name{0x00, 0x01, 0x00};  // a list holding one name of zero bytes
    const ContentHint name = identify(in_records(client_hello_message(extension(16, empty_name))), 443);
    EXPECT_TRUE(name.malformed);
}

TEST(ContentTls, SessionIdLongerThanThirtyTwoIsMalformed) {
    const ContentHint h = identify(in_records(client_hello_message({}, 33)), 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_TRUE(h.malformed);  // RFC 8446 §4.1.2: legacy_session_id<0..32>
}

TEST(ContentTls, HandshakeLongerThanTheBoundSaysSoInsteadOfAskingForMore) {
    Bytes m{1, 0xFF, 0xFF, 0xFF};  // a ClientHello of 16 MiB
    m.resize(2000, 0x03);
    const ContentHint h = identify(in_records(m), 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_TRUE(h.over_limit);
    EXPECT_EQ(h.bytes_needed, 0U);
    // 20 KiB, in records: the bound stops the gathering; nothing is read past the span.
    Bytes big{1, 0x00, 0x50, 0x00};
    big.resize(0x5004, 0);
    const ContentHint bigger = identify(in_records(big), 443);
    EXPECT_TRUE(bigger.over_limit);
    EXPECT_LE(bigger.bytes_needed, kMaxHelloBytes);
}

TEST(ContentTls, RecordLongerThanTwoToTheFourteenIsMalformed) {
    Bytes b{22, 3, 1, 0x40, 0x01, 1, 0, 0, 0};  // length 2^14 + 1, RFC 8446 §5.1
    const ContentHint h = identify(b, 443);
    EXPECT_EQ(h.kind, Kind::TlsClientHello);
    EXPECT_TRUE(h.malformed);
    EXPECT_EQ(h.bytes_needed, 0U);
}

TEST(ContentTls, GreaseVersionsAreNotTheHighestOffered) {
    Bytes versions{6, 0x7A, 0x7A, 0x03, 0x04, 0x03, 0x03};  // RFC 8701 GREASE first
    const ContentHint h = identify(in_records(client_hello_message(extension(43, versions))), 443);
    EXPECT_EQ(h.tls.version, 0x0304);
    Bytes grease_only{2, 0xFA, 0xFA};
    const ContentHint g = identify(in_records(client_hello_message(extension(43, grease_only))), 443);
    EXPECT_EQ(g.tls.version, 0x0303);  // falls back on legacy_version
    EXPECT_EQ(tfx::content::tls_version_name(0x7F17), "TLS 1.3 draft 23");
    EXPECT_EQ(tfx::content::tls_version_name(0x1A1A), "GREASE 0x1a1a");
}

TEST(ContentTls, HelloRetryRequestIsRecognizedByItsRandom) {
    // RFC 8446 §4.1.3: the random is SHA-256("HelloRetryRequest").
    const Bytes random = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                          0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                          0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
    Bytes body;
    put16(body, 0x0303);
    append(body, random);
    body.push_back(0);  // session id echo
    put16(body, 0x1301);
    body.push_back(0);
    const Bytes exts = extension(43, {0x03, 0x04});
    put16(body, exts.size());
    append(body, exts);
    Bytes m{2};
    put24(m, body.size());
    append(m, body);
    const ContentHint h = identify(in_records(m), 443);
    EXPECT_EQ(h.kind, Kind::TlsServerHello);
    EXPECT_TRUE(h.tls.hello_retry_request);
    EXPECT_EQ(h.tls.version, 0x0304);
    EXPECT_EQ(describe(h), "a TLS HelloRetryRequest, TLS 1.3");
}

TEST(ContentTls, EveryByteOfARealClientHelloCorruptedStaysInBounds) {
    const Bytes all = fixture("tls13-client-hello-sni-alpn.bin");
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const std::uint8_t v : {std::uint8_t{0x00}, std::uint8_t{0xFF}, std::uint8_t{0x80}}) {
            Bytes b = all;
            b[i] = v;
            const ContentHint h = identify(b, 443);
            EXPECT_LE(h.bytes_needed, kMaxHelloBytes);
            EXPECT_LE(h.tls.server_name.bytes.size(), kMaxTextBytes);
            (void)describe(h);
            (void)hint_fields(h);
        }
    }
}

// ---- HTTP -----------------------------------------------------------------------------------

TEST(ContentHttp, CurlRequestLine) {
    const ContentHint h = identify(fixture("http11-request-curl.bin"), 80);
    EXPECT_EQ(h.kind, Kind::HttpRequest);
    EXPECT_EQ(h.http.method.bytes, "GET");
    EXPECT_EQ(h.http.target.bytes, "/index.html");
    EXPECT_EQ(h.http.version.bytes, "HTTP/1.1");
    EXPECT_EQ(h.bytes_needed, 0U);
    EXPECT_EQ(describe(h), "an HTTP request, GET /index.html");
}

TEST(ContentHttp, PythonStatusLine) {
    const ContentHint h = identify(fixture("http10-response-python.bin"), 80);
    EXPECT_EQ(h.kind, Kind::HttpResponse);
    EXPECT_EQ(h.http.version.bytes, "HTTP/1.0");
    EXPECT_EQ(h.http.status, 200);
    EXPECT_EQ(h.http.reason.bytes, "OK");
    EXPECT_EQ(describe(h), "an HTTP/1.0 response, 200 OK");
    const ContentHint not_found = identify(text("HTTP/1.1 404 Not Found\r\n"), 80);
    EXPECT_EQ(describe(not_found), "an HTTP/1.1 response, 404 Not Found");
    // RFC 9112 §4: the reason phrase may be empty.
    const ContentHint no_reason = identify(text("HTTP/1.1 204 \r\n"), 80);
    EXPECT_EQ(no_reason.http.status, 204);
    EXPECT_FALSE(no_reason.malformed);
}

TEST(ContentHttp, StatusLineBroken) {
    EXPECT_TRUE(identify(text("HTTP/1.1 2000 OK\r\n"), 80).malformed);
    EXPECT_TRUE(identify(text("HTTP/1.1 099 Low\r\n"), 80).malformed);  // RFC 9110 §15: 100-599
    EXPECT_TRUE(identify(text("HTTP/x.1 200 OK\r\n"), 80).malformed);
    const ContentHint partial = identify(text("HTTP/1.1 2"), 80);
    EXPECT_EQ(partial.kind, Kind::HttpResponse);
    EXPECT_FALSE(partial.malformed);
    EXPECT_EQ(partial.bytes_needed, kMaxLineBytes);
}

TEST(ContentHttp, ExtensionMethodCountsOnlyOnACompleteRequestLine) {
    const ContentHint propfind = identify(text("PROPFIND /dav/ HTTP/1.1\r\n"), 80);  // RFC 4918
    EXPECT_EQ(propfind.kind, Kind::HttpRequest);
    EXPECT_EQ(propfind.http.method.bytes, "PROPFIND");
    EXPECT_EQ(identify(text("PROPFIND /dav/"), 80).kind, Kind::Unknown);
    EXPECT_EQ(identify(text("HELLO world\r\n"), 80).kind, Kind::Unknown);
}

TEST(ContentHttp, RequestLineNotEndedYet) {
    const ContentHint h = identify(text("GET /very/long/pa"), 80);
    EXPECT_EQ(h.kind, Kind::HttpRequest);
    EXPECT_EQ(h.http.target.bytes, "/very/long/pa");
    EXPECT_TRUE(h.http.version.empty());
    EXPECT_EQ(h.bytes_needed, kMaxLineBytes);
    EXPECT_FALSE(h.malformed);
    EXPECT_EQ(describe(h), "an HTTP request, GET /very/long/pa (incomplete)");
    EXPECT_EQ(describe(identify(text("POST "), 80)), "an HTTP request, POST (incomplete)");
    const ContentHint start = identify(text("GE"), 80);
    EXPECT_EQ(start.kind, Kind::Unknown);
    EXPECT_GT(start.bytes_needed, 0U);
}

TEST(ContentHttp, TargetLongerThanTheLineBound) {
    std::string line = "GET /" + std::string(kMaxLineBytes + 100, 'a');
    const ContentHint h = identify(text(line), 80);
    EXPECT_EQ(h.kind, Kind::HttpRequest);
    EXPECT_TRUE(h.over_limit);
    EXPECT_EQ(h.bytes_needed, 0U);
    EXPECT_EQ(h.http.target.bytes.size(), kMaxTextBytes);
    EXPECT_TRUE(h.http.target.cut);
    EXPECT_EQ(describe(h), "an HTTP request, GET /" + std::string(79, 'a') + "... (longer than the bytes read)");
}

TEST(ContentHttp, RequestWithoutVersionIsMalformed) {
    const ContentHint h = identify(text("GET /\r\n"), 80);  // HTTP/0.9
    EXPECT_EQ(h.kind, Kind::HttpRequest);
    EXPECT_TRUE(h.malformed);
}

TEST(ContentHttp, Http2PrefaceFromCurl) {
    const Bytes all = fixture("http2-preface-curl.bin");
    EXPECT_EQ(identify(all, 80).kind, Kind::Http2Preface);
    EXPECT_EQ(describe(identify(all, 80)), "the HTTP/2 connection preface");
    // RFC 9113 §3.4: 24 octets; its first 16 are also a request line, not the point.
    for (std::size_t n = 1; n < 24; ++n) {
        const ContentHint h = identify(std::span(all).first(n), 80);
        EXPECT_EQ(h.kind, Kind::Unknown) << n;
        EXPECT_EQ(h.bytes_needed, 24U) << n;
    }
}

// ---- SSH ------------------------------------------------------------------------------------

TEST(ContentSsh, OpensshClientBanner) {
    const ContentHint h = identify(fixture("ssh-banner-openssh-client.bin"), 22);
    EXPECT_EQ(h.kind, Kind::SshBanner);
    EXPECT_EQ(h.ssh.protocol.bytes, "2.0");
    EXPECT_EQ(h.ssh.software.bytes, "OpenSSH_9.2p1");  // `ssh -V`: OpenSSH_9.2p1 Debian-2+deb12u6
    EXPECT_EQ(h.ssh.comments.bytes, "Debian-2+deb12u6");
    EXPECT_EQ(describe(h), "an SSH banner, OpenSSH_9.2p1");
}

TEST(ContentSsh, ServerLinesBeforeTheIdentificationString) {
    // RFC 4253 §4.2: the server MAY send other lines first.
    const ContentHint h = identify(text("Welcome to the lab\r\nno SSH- here\r\nSSH-2.0-dropbear_2022.83\r\n"), 22);
    EXPECT_EQ(h.kind, Kind::SshBanner);
    EXPECT_EQ(h.ssh.software.bytes, "dropbear_2022.83");
}

TEST(ContentSsh, ProtocolOneNinetyNineAndPartialBanners) {
    const ContentHint old = identify(text("SSH-1.99-Cisco-1.25\r\n"), 22);
    EXPECT_EQ(old.ssh.protocol.bytes, "1.99");
    EXPECT_EQ(describe(old), "an SSH banner, Cisco-1.25 (protocol 1.99)");
    const ContentHint partial = identify(text("SSH-2.0-Open"), 22);
    EXPECT_EQ(partial.kind, Kind::SshBanner);
    EXPECT_EQ(partial.bytes_needed, kMaxLineBytes);
    const ContentHint start = identify(text("SS"), 22);
    EXPECT_EQ(start.kind, Kind::Unknown);
    EXPECT_EQ(start.bytes_needed, 4U);
    EXPECT_TRUE(identify(text("SSH-2.0\r\n"), 22).malformed);
}

// ---- Greetings --------------------------------------------------------------------------------

TEST(ContentGreeting, SmtpAndFtpToldApartByTextPortOrTheClientsCommand) {
    const Bytes postfix = text("220 mx.example.com ESMTP Postfix\r\n");
    EXPECT_EQ(identify(postfix, 0).kind, Kind::SmtpGreeting);
    EXPECT_EQ(describe(identify(postfix, 0)), "an SMTP greeting, 220 mx.example.com ESMTP Postfix");
    EXPECT_EQ(identify(text("220 (vsFTPd 3.0.5)\r\n"), 0).kind, Kind::FtpGreeting);

    // RFC 5321 Appendix D.1 and RFC 959 §4.2.2: neither text names its protocol.
    const Bytes smtp = text("220 foo.com Simple Mail Transfer Service Ready\r\n");
    const Bytes ftp = text("220 Service ready for new user.\r\n");
    EXPECT_EQ(identify(smtp, 25).kind, Kind::SmtpGreeting);
    EXPECT_EQ(identify(ftp, 21).kind, Kind::FtpGreeting);
    EXPECT_EQ(identify(smtp, 2500).kind, Kind::SmtpOrFtpGreeting);
    EXPECT_EQ(describe(identify(ftp, 2100)), "an SMTP or FTP greeting, 220 Service ready for new user.");
    EXPECT_EQ(identify_connection(text("EHLO bar.com\r\n"), smtp, 2500).server.kind, Kind::SmtpGreeting);
    EXPECT_EQ(identify_connection(text("USER anonymous\r\n"), ftp, 2100).server.kind, Kind::FtpGreeting);
    EXPECT_EQ(identify_connection(text("NOOP\r\n"), ftp, 2100).server.kind, Kind::SmtpOrFtpGreeting);
}

TEST(ContentGreeting, MultiLineGreetingKeepsItsFirstLine) {
    const ContentHint h = identify(text("220-smtp.example.com ESMTP\r\n220 ready\r\n"), 25);
    EXPECT_EQ(h.kind, Kind::SmtpGreeting);
    EXPECT_EQ(h.greeting.bytes, "220-smtp.example.com ESMTP");
}

TEST(ContentGreeting, PopAndImap) {
    // RFC 1939 §4 and §7 example.
    const ContentHint pop = identify(text("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"), 110);
    EXPECT_EQ(pop.kind, Kind::PopGreeting);
    EXPECT_EQ(describe(pop), "a POP3 greeting, +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
    // RFC 9051 §7.1.1, §7.1.4, §7.1.5.
    EXPECT_EQ(identify(text("* OK IMAP4rev2 server ready\r\n"), 143).kind, Kind::ImapGreeting);
    EXPECT_EQ(identify(text("* PREAUTH IMAP4rev2 server logged in as Smith\r\n"), 143).kind, Kind::ImapGreeting);
    EXPECT_EQ(identify(text("* bye Autologout; idle for too long\r\n"), 143).kind, Kind::ImapGreeting);
    EXPECT_EQ(identify(text("* OKAY\r\n"), 143).kind, Kind::Unknown);
    EXPECT_EQ(identify(text("* PRE"), 143).bytes_needed, kMaxLineBytes);
    EXPECT_EQ(identify(text("+O"), 110).bytes_needed, 4U);
}

TEST(ContentGreeting, ControlBytesInAGreetingAreShownEscaped) {
    const ContentHint h = identify(text("220 \x1b]0;owned\x07\x1b[2J ESMTP\r\n"), 25);
    EXPECT_EQ(h.greeting.bytes, "220 \x1b]0;owned\x07\x1b[2J ESMTP");  // kept as sent
    const std::string said = describe(h);
    EXPECT_EQ(said, "an SMTP greeting, 220 \\x1b]0;owned\\x07\\x1b[2J ESMTP");
    EXPECT_EQ(said.find('\x1b'), std::string::npos);
    EXPECT_EQ(field(hint_fields(h), "greeting")->text, "220 \\x1b]0;owned\\x07\\x1b[2J ESMTP");
}

// ---- Nothing recognized, and the fields --------------------------------------------------------

TEST(ContentHint, EmptyAndUnrecognizedBytes) {
    const ContentHint empty = identify({}, 80);
    EXPECT_EQ(empty.kind, Kind::Unknown);
    EXPECT_EQ(empty.bytes_needed, 1U);
    EXPECT_EQ(describe(empty), "");
    const Bytes noise(1 << 20, 'A');  // a megabyte with no line end: looked at within the bounds
    const ContentHint n = identify(noise, 80);
    EXPECT_EQ(n.kind, Kind::Unknown);
    EXPECT_EQ(n.bytes_needed, 0U);
    EXPECT_EQ(identify(text("\x16\x03\x01"), 443).bytes_needed, 6U);
    EXPECT_EQ(identify(text("\x17\x03\x03\x00\x10"), 443).kind, Kind::Unknown);  // application data
}

TEST(ContentHint, FieldsUseTheirDocumentedNamesOnce) {
    const std::set<std::string_view> known(hint_field_names().begin(), hint_field_names().end());
    for (const char* name :
         {"tls13-client-hello-sni-alpn.bin", "tls12-server-hello-alpn-http11.bin", "http11-request-curl.bin",
          "http10-response-python.bin", "ssh-banner-openssh-client.bin"}) {
        std::set<std::string_view> seen;
        for (const HintField& f : hint_fields(identify(fixture(name), 0))) {
            EXPECT_TRUE(known.count(f.name)) << f.name;
            EXPECT_TRUE(seen.insert(f.name).second) << f.name;
        }
    }
    const auto tls = hint_fields(identify(fixture("tls13-client-hello-sni-alpn.bin"), 443));
    EXPECT_EQ(field(tls, "content_kind")->text, "tls_client_hello");
    EXPECT_EQ(field(tls, "tls_sni")->text, "example.com");
    EXPECT_EQ(field(tls, "tls_version")->text, "TLS 1.3");
    EXPECT_EQ(field(tls, "alpn")->list, (std::vector<std::string>{"h2", "http/1.1"}));
    const auto response = hint_fields(identify(fixture("http10-response-python.bin"), 80));
    ASSERT_NE(field(response, "http_status"), nullptr);
    EXPECT_EQ(field(response, "http_status")->type, HintField::Type::Number);
    EXPECT_EQ(field(response, "http_status")->number, 200U);
    EXPECT_EQ(field(response, "tls_sni"), nullptr);
}

}  // namespace
