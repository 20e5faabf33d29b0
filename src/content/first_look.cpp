// The glance at a direction's first bytes (first_look.hpp). Each test is what its
// recognizer requires of the start, no more: a signature's first byte, or for a request
// line a method token up to a space.

#include "content/first_look.hpp"

#include <string_view>

#include "content/text_protocols.hpp"
#include "content/text_scan.hpp"
#include "content/tls_hello.hpp"

namespace tfx::content::detail {

namespace {

constexpr std::uint8_t kHandshakeRecord = 22;  // RFC 8446 §5.1 ContentType handshake

/// RFC 9112 §3: a request line starts with a method token followed by a space; a start that
/// is all token may be a method still arriving.
[[nodiscard]] bool may_start_request_line(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_tchar(s[i])) ++i;
    return i > 0 && (i == s.size() || s[i] == ' ');
}

}  // namespace

Recognizers possible_recognizers(std::span<const std::uint8_t> first_bytes) {
    Recognizers r;
    if (first_bytes.empty()) return r;
    const std::string_view s = as_text(first_bytes);
    // RFC 8446 §5.1: a handshake record of version 3.x.
    if (first_bytes[0] == kHandshakeRecord && (first_bytes.size() < 2 || first_bytes[1] == 3))
        r.add(Recognizer::TlsHello);
    if (s[0] == 'P') r.add(Recognizer::Http2Preface);  // "PRI * HTTP/2.0"
    if (s[0] == 'H') r.add(Recognizer::HttpResponse);  // "HTTP/"
    if (may_start_request_line(s)) r.add(Recognizer::HttpRequest);
    // RFC 4253 §4.2: other lines may come before the "SSH-" one.
    if (s[0] == 'S' || s.find("SSH-") != std::string_view::npos) r.add(Recognizer::SshBanner);
    if (s[0] == '2') r.add(Recognizer::Greeting220);   // "220"
    if (s[0] == '+') r.add(Recognizer::PopGreeting);   // "+OK"
    if (s[0] == '*') r.add(Recognizer::ImapGreeting);  // "* OK"
    return r;
}

ContentHint recognize(Recognizer r, std::span<const std::uint8_t> first_bytes, std::uint16_t server_port) {
    const std::string_view s = as_text(first_bytes);
    switch (r) {
        case Recognizer::TlsHello: return tls_hello(first_bytes);
        case Recognizer::Http2Preface: return http2_preface(s);
        case Recognizer::HttpResponse: return http_response(s);
        case Recognizer::HttpRequest: return http_request(s);
        case Recognizer::SshBanner: return ssh_banner(s);
        case Recognizer::Greeting220: return greeting_220(s, server_port);
        case Recognizer::PopGreeting: return pop_greeting(s);
        case Recognizer::ImapGreeting: return imap_greeting(s);
    }
    return {};
}

}  // namespace tfx::content::detail
