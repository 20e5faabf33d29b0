// The English phrases of the content hints (describe.hpp).

#include "content/describe.hpp"

#include <fmt/format.h>

namespace tfx::content {

namespace {

/// A field for a phrase: escaped, and cut at kMaxShownChars (or where the hint cut it).
[[nodiscard]] std::string shown(const BoundedText& t) {
    const bool cut = t.cut || t.bytes.size() > kMaxShownChars;
    std::string out = shown_text(std::string_view(t.bytes).substr(0, kMaxShownChars));
    if (cut) out += "...";
    return out;
}

[[nodiscard]] std::string alpn_list(const TlsHint& tls) {
    std::string out;
    for (std::size_t i = 0; i < tls.alpn.size() && i < kMaxShownNames; ++i) {
        if (i != 0) out += ", ";
        out += shown(tls.alpn[i]);
    }
    if (tls.alpn.size() > kMaxShownNames) out += fmt::format(" and {} more", tls.alpn.size() - kMaxShownNames);
    return out;
}

[[nodiscard]] std::string kind_phrase(const ContentHint& h) {
    switch (h.kind) {
        case Kind::Unknown: return {};
        case Kind::HttpRequest: {
            std::string out = "an HTTP request";
            if (!h.http.method.empty()) out += fmt::format(", {}", shown(h.http.method));
            if (!h.http.target.empty()) out += fmt::format(" {}", shown(h.http.target));
            return out;
        }
        case Kind::HttpResponse: {
            std::string out =
                h.http.version.empty() ? "an HTTP response" : fmt::format("an {} response", shown(h.http.version));
            if (h.http.status != 0) out += fmt::format(", {}", h.http.status);
            if (!h.http.reason.empty()) out += fmt::format(" {}", shown(h.http.reason));
            return out;
        }
        case Kind::Http2Preface: return "the HTTP/2 connection preface";
        case Kind::TlsClientHello: {
            std::string out = h.tls.server_name.empty()
                                  ? std::string("a TLS ClientHello without a server name")
                                  : fmt::format("a TLS ClientHello for {}", shown(h.tls.server_name));
            if (h.tls.version != 0) out += fmt::format(", up to {}", tls_version_name(h.tls.version));
            if (!h.tls.alpn.empty()) out += fmt::format(" (ALPN {})", alpn_list(h.tls));
            return out;
        }
        case Kind::TlsServerHello: {
            std::string out = h.tls.hello_retry_request ? "a TLS HelloRetryRequest" : "a TLS ServerHello";
            if (h.tls.version != 0) out += fmt::format(", {}", tls_version_name(h.tls.version));
            if (!h.tls.alpn.empty()) out += fmt::format(" (ALPN {})", alpn_list(h.tls));
            return out;
        }
        case Kind::SshBanner: {
            std::string out =
                h.ssh.software.empty() ? "an SSH banner" : fmt::format("an SSH banner, {}", shown(h.ssh.software));
            if (!h.ssh.protocol.empty() && h.ssh.protocol.bytes != "2.0")
                out += fmt::format(" (protocol {})", shown(h.ssh.protocol));
            return out;
        }
        case Kind::SmtpGreeting: return fmt::format("an SMTP greeting, {}", shown(h.greeting));
        case Kind::FtpGreeting: return fmt::format("an FTP greeting, {}", shown(h.greeting));
        case Kind::SmtpOrFtpGreeting: return fmt::format("an SMTP or FTP greeting, {}", shown(h.greeting));
        case Kind::PopGreeting: return fmt::format("a POP3 greeting, {}", shown(h.greeting));
        case Kind::ImapGreeting: return fmt::format("an IMAP greeting, {}", shown(h.greeting));
    }
    return {};
}

}  // namespace

std::string shown_text(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7F)
            out += c;
        else
            out += fmt::format("\\x{:02x}", b);
    }
    return out;
}

std::string describe(const ContentHint& hint) {
    std::string out = kind_phrase(hint);
    if (out.empty()) return out;
    if (hint.malformed) out += " (malformed)";
    if (hint.over_limit)
        out += " (longer than the bytes read)";
    else if (hint.bytes_needed != 0 && (hint.kind == Kind::TlsClientHello || hint.kind == Kind::TlsServerHello))
        out += fmt::format(" (incomplete: its first {} bytes are needed)", hint.bytes_needed);
    else if (hint.bytes_needed != 0)
        out += " (incomplete)";
    return out;
}

}  // namespace tfx::content
