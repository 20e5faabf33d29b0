#pragma once
/// What is inside a TCP connection, from the first bytes of each direction: one hint per
/// direction (an HTTP request line, a TLS ClientHello's server name, an SSH banner, a mail
/// server's greeting ...), as plain data. Found by src/content (docs/content.md); carried on
/// the segment that completed it and in the connection's summary.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tfx::content {

/// Most bytes of one TLS handshake message read (ClientHello or ServerHello, with the record
/// headers around its fragments): a ClientHello may span several records and segments, and
/// past this the hint says what it has rather than asking for more.
inline constexpr std::size_t kMaxHelloBytes = 16 * 1024;
/// Most bytes of a first line (request line, status line, banner, greeting) looked for:
/// RFC 9112 §3 recommends request lines of at least 8000 octets be supported.
inline constexpr std::size_t kMaxLineBytes = 8192;
/// Longest text field kept (target, reason, greeting, server name, banner), in bytes.
inline constexpr std::size_t kMaxTextBytes = 256;
/// Most ALPN protocol names kept from a ClientHello.
inline constexpr std::size_t kMaxAlpnNames = 16;

enum class Kind : std::uint8_t {
    Unknown,
    HttpRequest,
    HttpResponse,
    Http2Preface,
    TlsClientHello,
    TlsServerHello,
    SshBanner,
    SmtpGreeting,
    FtpGreeting,
    /// A "220" greeting that neither its text, the server port nor the client's first
    /// command tells apart: SMTP (RFC 5321 §4.2) and FTP (RFC 959 §4.2) both open so.
    SmtpOrFtpGreeting,
    PopGreeting,
    ImapGreeting,
};

/// A text field as sent: at most kMaxTextBytes of it, and whether more was cut.
struct BoundedText {
    std::string bytes;
    bool cut = false;

    [[nodiscard]] bool empty() const { return bytes.empty(); }
};

struct HttpHint {
    BoundedText method;        ///< "GET"
    BoundedText target;        ///< "/index.html"
    BoundedText version;       ///< "HTTP/1.1", empty until the request line ends
    std::uint16_t status = 0;  ///< status code of a response; 0 for a request
    BoundedText reason;        ///< "OK"
};

struct TlsHint {
    std::uint16_t record_version = 0;  ///< the first record header's version (0x0301 ...)
    std::uint16_t legacy_version = 0;  ///< the hello's legacy_version field
    /// The version that counts: a ClientHello's highest offered in supported_versions (RFC
    /// 8446 §4.2.1, GREASE values skipped), a ServerHello's selected one; else legacy_version.
    std::uint16_t version = 0;
    std::uint16_t cipher_suite = 0;    ///< ServerHello only
    bool hello_retry_request = false;  ///< a ServerHello with RFC 8446 §4.1.3's special random
    BoundedText server_name;           ///< SNI host_name (RFC 6066 §3), ClientHello
    /// ALPN (RFC 7301): the names offered (ClientHello, at most kMaxAlpnNames) or the one
    /// selected (ServerHello).
    std::vector<BoundedText> alpn;
};

struct SshHint {
    BoundedText protocol;  ///< "2.0"
    BoundedText software;  ///< "OpenSSH_9.2p1"
    BoundedText comments;  ///< "Debian-2+deb12u6"
};

/// A field added here is added to PackedHint as well (src/content/packed_hint.cpp), the form in
/// which live connections hold their hints.
struct ContentHint {
    Kind kind = Kind::Unknown;
    /// 0: the hint is as complete as it will get. Otherwise the first bytes fall short of
    /// what it needs (a ClientHello split over segments, a line not yet ended): keep up to
    /// this many first bytes and call again when more have come. Exact where lengths say it
    /// (TLS record and handshake lengths); else the bound of what the hint reads (a line:
    /// kMaxLineBytes; the start of a fixed signature: the signature's length).
    std::size_t bytes_needed = 0;
    /// The message is longer than the bounds let us read: the fields are what fitted.
    bool over_limit = false;
    /// The kind was recognized but a length or the syntax that follows is broken: the
    /// fields are those read before the break.
    bool malformed = false;

    HttpHint http;
    TlsHint tls;
    SshHint ssh;
    /// The greeting's first line without its line end ("220 mx.example.com ESMTP").
    BoundedText greeting;
};

struct ConnectionHints {
    ContentHint client;
    ContentHint server;
};

/// The hint of one side of `hints` ([0] client, [1] server): a hint of Kind::Unknown when
/// `hints` is null.
[[nodiscard]] inline const ContentHint& hint_of(const ConnectionHints* hints, std::size_t side) {
    static const ContentHint kNone{};
    if (hints == nullptr) return kNone;
    return side == 0 ? hints->client : hints->server;
}

}  // namespace tfx::content
