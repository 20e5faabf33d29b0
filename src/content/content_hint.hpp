#pragma once
// What is inside a TCP connection, from the first bytes of each direction: one hint per
// direction (an HTTP request line, a TLS ClientHello's server name, an SSH banner, a mail
// server's greeting ...). Not a protocol analyzer: only the first message is looked at, and
// only the few fields a person asks about first (docs/content.md).
//
// Every parser reads through decode::ByteReader: nothing is read past the span, nothing
// throws. Text fields keep the bytes as sent (a hostile peer chooses them), cut at
// kMaxTextBytes; describe() escapes them for a terminal.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
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

/// Stable snake_case name ("tls_client_hello"), for JSON and `check`.
[[nodiscard]] std::string_view kind_name(Kind k);

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

/// The hint for the first bytes one side sent. `server_port` only tells SMTP from FTP when
/// a "220" greeting's text does not; the sender's role is not asked for: every kind says
/// by itself which side sends it, and a capture's roles can be guessed wrong.
[[nodiscard]] ContentHint identify(std::span<const std::uint8_t> first_bytes, std::uint16_t server_port);

struct ConnectionHints {
    ContentHint client;
    ContentHint server;
};

/// Both directions' hints. The pair says more than each side alone: a "220" greeting is
/// SMTP when the client answers EHLO or HELO, FTP when it answers USER, AUTH, FEAT ...
[[nodiscard]] ConnectionHints identify_connection(std::span<const std::uint8_t> client_first,
                                                  std::span<const std::uint8_t> server_first,
                                                  std::uint16_t server_port);

/// "TLS 1.3", "SSL 3.0", "TLS 1.3 draft 23", "GREASE 0x0a0a" or "0x1234".
[[nodiscard]] std::string tls_version_name(std::uint16_t version);

}  // namespace tfx::content
