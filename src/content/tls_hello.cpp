// TLS ClientHello and ServerHello (tls_hello.hpp). Every read goes through
// decode::ByteReader. A length that points past the bytes we have is "not arrived yet"
// while the handshake message is incomplete, and malformed once it is complete.

#include "content/tls_hello.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "content/text_scan.hpp"
#include "decode/byte_reader.hpp"

namespace tfx::content::detail {

namespace {

using decode::ByteReader;

constexpr std::uint8_t kHandshakeRecord = 22;  // RFC 8446 §5.1 ContentType handshake
constexpr std::uint8_t kClientHello = 1;       // RFC 8446 §4 HandshakeType
constexpr std::uint8_t kServerHello = 2;
constexpr std::size_t kRecordHeader = 5;                        // type, version, length
constexpr std::size_t kHandshakeHeader = 4;                     // msg_type, uint24 length
constexpr std::size_t kMaxRecordLength = std::size_t{1} << 14;  // RFC 8446 §5.1: 2^14
constexpr std::size_t kRandomLength = 32;
constexpr std::size_t kMaxSessionId = 32;

// RFC 8446 §4.2 ExtensionType.
constexpr std::uint16_t kServerNameExtension = 0;
constexpr std::uint16_t kAlpnExtension = 16;
constexpr std::uint16_t kSupportedVersionsExtension = 43;

/// RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest
/// (SHA-256 of "HelloRetryRequest").
constexpr std::array<std::uint8_t, kRandomLength> kHelloRetryRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

[[nodiscard]] std::string_view text_of(const ByteReader& r) {
    return {reinterpret_cast<const char*>(r.bytes().data()), r.size()};
}

/// RFC 8701 GREASE: 0x0A0A, 0x1A1A ... 0xFAFA.
[[nodiscard]] bool is_grease(std::uint16_t v) { return (v & 0x0F0FU) == 0x0A0AU && (v >> 8) == (v & 0xFFU); }

/// Order of the versions a ClientHello offers: SSL 3.0 to TLS 1.3, the TLS 1.3 drafts
/// (0x7Fxx) between TLS 1.2 and TLS 1.3; 0 for values that name no version.
[[nodiscard]] unsigned version_rank(std::uint16_t v) {
    if (v >= 0x0300 && v <= 0x0304) return 2U * v;
    if ((v >> 8) == 0x7F) return 2U * 0x0303 + 1U;
    return 0;
}

/// A reading position in a TLS structure. Running past the end sets `ran_out`; a value the
/// RFC forbids sets `invalid`.
struct Cursor {
    ByteReader r;
    std::size_t pos = 0;
    bool ran_out = false;
    bool invalid = false;

    [[nodiscard]] bool at_end() const { return pos >= r.size(); }
    [[nodiscard]] bool failed() const { return ran_out || invalid; }

    std::optional<std::uint8_t> u8() {
        const auto v = r.u8(pos);
        if (!v) return fail();
        pos += 1;
        return v;
    }
    std::optional<std::uint16_t> u16() {
        const auto v = r.be16(pos);
        if (!v) return fail();
        pos += 2;
        return v;
    }
    std::optional<ByteReader> bytes(std::size_t n) {
        const auto v = r.subspan(pos, n);
        if (!v) return fail();
        pos += n;
        return ByteReader{*v};
    }
    /// A vector with a 1- or 2-byte length prefix (RFC 8446 §3.4), only when all present.
    std::optional<ByteReader> vector(std::size_t length_bytes) {
        std::optional<std::size_t> n;
        if (length_bytes == 1) {
            if (const auto v = u8()) n = *v;
        } else if (const auto v = u16()) {
            n = *v;
        }
        if (!n) return std::nullopt;
        return bytes(*n);
    }

private:
    std::nullopt_t fail() {
        ran_out = true;
        pos = r.size();
        return std::nullopt;
    }
};

/// The list an extension's data holds, with a 2-byte length that fills the data exactly
/// and is not 0 (server_name and ALPN lists have at least one entry); nullopt (and `outer`
/// invalid) otherwise.
std::optional<ByteReader> whole_list(ByteReader data, Cursor& outer) {
    Cursor c{data};
    const auto list = c.vector(2);
    if (!list || !c.at_end() || list->empty()) {
        outer.invalid = true;
        return std::nullopt;
    }
    return list;
}

/// RFC 6066 §3: ServerNameList, the first host_name (type 0) kept.
void read_server_name(ByteReader data, TlsHint& tls, Cursor& outer) {
    const auto list = whole_list(data, outer);
    if (!list) return;
    for (Cursor names{*list}; !names.at_end();) {
        const auto type = names.u8();
        const auto name = names.vector(2);
        if (!type || !name || name->empty()) {
            outer.invalid = true;
            return;
        }
        if (*type == 0 && tls.server_name.empty()) tls.server_name = bounded(text_of(*name));
    }
}

/// RFC 7301 §3.1: ProtocolNameList, names of 1 to 255 bytes. A ServerHello names exactly one.
void read_alpn(ByteReader data, TlsHint& tls, Cursor& outer, std::uint8_t hello) {
    const auto list = whole_list(data, outer);
    if (!list) return;
    for (Cursor names{*list}; !names.at_end();) {
        const auto name = names.vector(1);
        if (!name || name->empty()) {
            outer.invalid = true;
            return;
        }
        if (tls.alpn.size() < kMaxAlpnNames) tls.alpn.push_back(bounded(text_of(*name)));
    }
    if (hello == kServerHello && tls.alpn.size() != 1) outer.invalid = true;
}

/// RFC 8446 §4.2.1: a ClientHello lists the versions it offers (the highest kept), a
/// ServerHello names the one selected.
void read_supported_versions(ByteReader data, TlsHint& tls, Cursor& outer, std::uint8_t hello) {
    Cursor c{data};
    if (hello == kServerHello) {
        const auto selected = c.u16();
        if (!selected || !c.at_end()) outer.invalid = true;
        if (selected) tls.version = *selected;
        return;
    }
    const auto list = c.vector(1);
    if (!list || !c.at_end() || list->size() < 2 || list->size() % 2 != 0) {
        outer.invalid = true;
        return;
    }
    std::uint16_t best = 0;
    for (Cursor versions{*list}; !versions.at_end();) {
        const std::uint16_t v = versions.u16().value_or(0);
        if (!is_grease(v) && version_rank(v) > version_rank(best)) best = v;
    }
    if (best != 0) tls.version = best;
}

/// The extensions block, each extension read only when all its bytes are there (a block
/// cut by the end of the bytes we have is read as far as it goes).
void read_extensions(Cursor& c, TlsHint& tls, std::uint8_t hello) {
    const auto declared = c.r.be16(c.pos);
    if (!declared) {
        c.ran_out = true;
        return;
    }
    Cursor block{ByteReader{c.r.clamped(c.pos + 2, *declared)}};
    c.pos += 2 + block.r.size();
    if (block.r.size() < *declared) c.ran_out = true;
    while (!block.at_end() && !c.invalid) {
        const auto type = block.u16();
        const auto data = block.vector(2);
        if (!type || !data) {
            if (!c.ran_out) c.invalid = true;  // a length past the end of a whole block
            return;
        }
        if (*type == kServerNameExtension && hello == kClientHello)
            read_server_name(*data, tls, c);
        else if (*type == kAlpnExtension)
            read_alpn(*data, tls, c, hello);
        else if (*type == kSupportedVersionsExtension)
            read_supported_versions(*data, tls, c, hello);
    }
}

/// RFC 8446 §4.1.2 ClientHello / §4.1.3 ServerHello, the body after the handshake header.
void read_hello(ByteReader body, std::uint8_t hello, TlsHint& tls, Cursor& c) {
    c = Cursor{body};
    const auto legacy = c.u16();
    if (!legacy) return;
    tls.legacy_version = *legacy;
    tls.version = *legacy;
    const auto random = c.bytes(kRandomLength);
    if (!random) return;
    const auto session_id = c.vector(1);
    if (!session_id) return;
    if (session_id->size() > kMaxSessionId) c.invalid = true;
    if (hello == kClientHello) {
        const auto suites = c.vector(2);
        if (!suites) return;
        if (suites->size() < 2 || suites->size() % 2 != 0) c.invalid = true;
        const auto compression = c.vector(1);
        if (!compression) return;
        if (compression->empty()) c.invalid = true;
    } else {
        tls.hello_retry_request =
            std::equal(kHelloRetryRandom.begin(), kHelloRetryRandom.end(), random->bytes().begin(),
                       [](std::uint8_t a, std::byte b) { return a == std::to_integer<std::uint8_t>(b); });
        const auto suite = c.u16();
        if (!suite) return;
        tls.cipher_suite = *suite;
        if (!c.u8()) return;  // legacy_compression_method
    }
    if (c.at_end()) return;  // no extensions: a hello of TLS 1.2 or older may have none
    read_extensions(c, tls, hello);
    if (!c.failed() && !c.at_end()) c.invalid = true;  // bytes after the extensions
}

/// The first handshake message, gathered from the records that carry it.
struct Gathered {
    std::vector<std::uint8_t> message;  ///< header and body, at most kMaxHelloBytes
    std::size_t message_size = 0;       ///< from the header; 0 until its 4 bytes are there
    std::size_t bytes_needed = 0;       ///< first bytes of the stream that would complete it
    bool broken = false;                ///< a record header that cannot carry it
};

[[nodiscard]] std::size_t message_size_of(const std::vector<std::uint8_t>& m) {
    if (m.size() < kHandshakeHeader) return 0;
    return kHandshakeHeader + ((std::size_t{m[1]} << 16) | (std::size_t{m[2]} << 8) | std::size_t{m[3]});
}

[[nodiscard]] Gathered gather_message(const ByteReader& r) {
    Gathered g;
    std::size_t off = 0;
    for (;;) {
        const std::size_t have = g.message.size();
        const std::size_t missing = g.message_size != 0 ? g.message_size - have : kHandshakeHeader - have;
        if (!r.has(off, kRecordHeader) || off >= kMaxHelloBytes) {  // past the bound: too long anyway
            g.bytes_needed = off + kRecordHeader + missing;
            return g;
        }
        const std::size_t length = r.be16(off + 3).value_or(0);
        if (r.u8(off) != kHandshakeRecord || r.u8(off + 1) != 3 || length == 0 || length > kMaxRecordLength) {
            g.broken = true;
            return g;
        }
        const auto fragment = r.clamped(off + kRecordHeader, length);
        const std::size_t room = kMaxHelloBytes - std::min(kMaxHelloBytes, have);
        for (std::size_t i = 0; i < std::min(room, fragment.size()); ++i)
            g.message.push_back(static_cast<std::uint8_t>(fragment[i]));
        if (g.message_size == 0) g.message_size = message_size_of(g.message);
        const std::size_t record_end = off + kRecordHeader + length;
        const std::size_t after_record = have + length;  // message bytes once this record is whole
        if (g.message_size != 0 && after_record >= g.message_size) {
            if (fragment.size() < length) g.bytes_needed = record_end - (after_record - g.message_size);
            return g;
        }
        if (fragment.size() < length) {
            const std::size_t rest = g.message_size != 0 ? g.message_size - after_record : 0;
            g.bytes_needed = record_end + (rest != 0 ? kRecordHeader + rest : 0);
            return g;
        }
        off = record_end;
    }
}

}  // namespace

ContentHint tls_hello(std::span<const std::uint8_t> bytes) {
    const ByteReader r{std::as_bytes(bytes)};
    constexpr std::size_t kDecides = kRecordHeader + 1;  // the record header and msg_type
    // What the first bytes must be: a handshake record, version 3.x (x <= 4), a hello.
    const auto fits = [&](std::size_t off, auto ok) { return !r.has(off, 1) || ok(r.u8(off).value_or(0)); };
    const bool plausible = fits(0, [](std::uint8_t b) { return b == kHandshakeRecord; }) &&
                           fits(1, [](std::uint8_t b) { return b == 3; }) &&
                           fits(2, [](std::uint8_t b) { return b <= 4; }) &&
                           fits(5, [](std::uint8_t b) { return b == kClientHello || b == kServerHello; });
    if (!plausible) return {};
    ContentHint h;
    if (r.size() < kDecides) {
        h.bytes_needed = kDecides;
        return h;
    }
    const std::uint8_t hello = r.u8(5).value_or(0);
    h.kind = hello == kClientHello ? Kind::TlsClientHello : Kind::TlsServerHello;
    h.tls.record_version = r.be16(1).value_or(0);

    const Gathered g = gather_message(r);
    const bool complete = g.message_size != 0 && g.message.size() >= g.message_size;
    if (!complete && !g.broken) {
        if (g.bytes_needed > kMaxHelloBytes)
            h.over_limit = true;
        else
            h.bytes_needed = g.bytes_needed;
    }
    const ByteReader message{std::as_bytes(std::span<const std::uint8_t>(g.message))};
    const ByteReader body{
        message.clamped(kHandshakeHeader, complete ? g.message_size - kHandshakeHeader : message.size())};
    Cursor c;
    read_hello(body, hello, h.tls, c);
    h.malformed = g.broken || c.invalid || (complete && c.ran_out);
    return h;
}

}  // namespace tfx::content::detail
