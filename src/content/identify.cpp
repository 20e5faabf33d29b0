// identify() and identify_connection(): which recognizer speaks for the first bytes, and
// the names of kinds and TLS versions.

#include <fmt/format.h>

#include "content/content_hint.hpp"
#include "content/first_look.hpp"
#include "content/text_protocols.hpp"
#include "content/text_scan.hpp"

namespace tfx::content {

std::string_view kind_name(Kind k) {
    switch (k) {
        case Kind::Unknown: return "unknown";
        case Kind::HttpRequest: return "http_request";
        case Kind::HttpResponse: return "http_response";
        case Kind::Http2Preface: return "http2_preface";
        case Kind::TlsClientHello: return "tls_client_hello";
        case Kind::TlsServerHello: return "tls_server_hello";
        case Kind::SshBanner: return "ssh_banner";
        case Kind::SmtpGreeting: return "smtp_greeting";
        case Kind::FtpGreeting: return "ftp_greeting";
        case Kind::SmtpOrFtpGreeting: return "smtp_or_ftp_greeting";
        case Kind::PopGreeting: return "pop_greeting";
        case Kind::ImapGreeting: return "imap_greeting";
    }
    return "unknown";
}

std::string tls_version_name(std::uint16_t version) {
    switch (version) {
        case 0x0300: return "SSL 3.0";
        case 0x0301: return "TLS 1.0";
        case 0x0302: return "TLS 1.1";
        case 0x0303: return "TLS 1.2";
        case 0x0304: return "TLS 1.3";
        default: break;
    }
    if ((version >> 8) == 0x7F) return fmt::format("TLS 1.3 draft {}", version & 0xFFU);
    if ((version & 0x0F0FU) == 0x0A0AU && (version >> 8) == (version & 0xFFU))
        return fmt::format("GREASE 0x{:04x}", version);
    return fmt::format("0x{:04x}", version);
}

ContentHint identify(std::span<const std::uint8_t> first_bytes, std::uint16_t server_port) {
    if (first_bytes.empty()) {
        ContentHint h;
        h.bytes_needed = 1;
        return h;
    }
    const detail::Recognizers possible = detail::possible_recognizers(first_bytes);
    if (possible.empty()) return {};
    // The first that recognizes the bytes or may be what they are the start of: the
    // preface's first 16 bytes are a request line too, and must wait for the rest.
    for (std::size_t i = 0; i < detail::kRecognizerCount; ++i) {
        const auto r = static_cast<detail::Recognizer>(i);
        if (!possible.has(r)) continue;
        ContentHint c = detail::recognize(r, first_bytes, server_port);
        if (c.kind != Kind::Unknown || c.bytes_needed != 0) return c;
    }
    return {};
}

ConnectionHints identify_connection(std::span<const std::uint8_t> client_first,
                                    std::span<const std::uint8_t> server_first, std::uint16_t server_port) {
    ConnectionHints hints{identify(client_first, server_port), identify(server_first, server_port)};
    refine_greeting(hints.server, detail::greeting_kind_from_client_command(detail::as_text(client_first)));
    return hints;
}

void refine_greeting(ContentHint& server, Kind by_client_command) {
    if (server.kind == Kind::SmtpOrFtpGreeting && by_client_command != Kind::Unknown) server.kind = by_client_command;
}

}  // namespace tfx::content
