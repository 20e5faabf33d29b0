// The English phrases of the content hints (describe.hpp).

#include "content/describe.hpp"

#include <fmt/format.h>

namespace tfx::content {

namespace {

/// Appends a field for a phrase: escaped, and cut at kMaxShownChars (or where the hint cut it).
void append_shown(fmt::memory_buffer& out, const BoundedText& t) {
    const bool cut = t.cut || t.bytes.size() > kMaxShownChars;
    append_shown_text(out, std::string_view(t.bytes).substr(0, kMaxShownChars));
    if (cut) out.append(std::string_view("..."));
}

void append_text(fmt::memory_buffer& out, std::string_view text) { out.append(text); }

/// "<before><field>", when the hint has the field.
void append_if_any(fmt::memory_buffer& out, std::string_view before, const BoundedText& t) {
    if (t.empty()) return;
    append_text(out, before);
    append_shown(out, t);
}

void append_alpn_list(fmt::memory_buffer& out, const TlsHint& tls) {
    append_text(out, " (ALPN ");
    for (std::size_t i = 0; i < tls.alpn.size() && i < kMaxShownNames; ++i) {
        if (i != 0) append_text(out, ", ");
        append_shown(out, tls.alpn[i]);
    }
    if (tls.alpn.size() > kMaxShownNames)
        fmt::format_to(fmt::appender(out), " and {} more", tls.alpn.size() - kMaxShownNames);
    out.push_back(')');
}

/// "<before><version> (ALPN ...)", each part only when the hello has it.
void append_tls_version_and_alpn(fmt::memory_buffer& out, std::string_view before, const TlsHint& tls) {
    if (tls.version != 0) {
        append_text(out, before);
        append_text(out, tls_version_name(tls.version));
    }
    if (!tls.alpn.empty()) append_alpn_list(out, tls);
}

/// "<lead>, <greeting>" for the greeting kinds.
void append_greeting(fmt::memory_buffer& out, std::string_view lead, const ContentHint& h) {
    append_text(out, lead);
    append_text(out, ", ");
    append_shown(out, h.greeting);
}

void append_kind_phrase(fmt::memory_buffer& out, const ContentHint& h) {
    switch (h.kind) {
        case Kind::Unknown: return;
        case Kind::HttpRequest:
            append_text(out, "an HTTP request");
            append_if_any(out, ", ", h.http.method);
            append_if_any(out, " ", h.http.target);
            return;
        case Kind::HttpResponse:
            if (h.http.version.empty()) {
                append_text(out, "an HTTP response");
            } else {
                append_text(out, "an ");
                append_shown(out, h.http.version);
                append_text(out, " response");
            }
            if (h.http.status != 0) fmt::format_to(fmt::appender(out), ", {}", h.http.status);
            append_if_any(out, " ", h.http.reason);
            return;
        case Kind::Http2Preface: append_text(out, "the HTTP/2 connection preface"); return;
        case Kind::TlsClientHello:
            if (h.tls.server_name.empty()) {
                append_text(out, "a TLS ClientHello without a server name");
            } else {
                append_text(out, "a TLS ClientHello for ");
                append_shown(out, h.tls.server_name);
            }
            append_tls_version_and_alpn(out, ", up to ", h.tls);
            return;
        case Kind::TlsServerHello:
            append_text(out, h.tls.hello_retry_request ? "a TLS HelloRetryRequest" : "a TLS ServerHello");
            append_tls_version_and_alpn(out, ", ", h.tls);
            return;
        case Kind::SshBanner:
            append_text(out, "an SSH banner");
            append_if_any(out, ", ", h.ssh.software);
            if (!h.ssh.protocol.empty() && h.ssh.protocol.bytes != "2.0") {
                append_text(out, " (protocol ");
                append_shown(out, h.ssh.protocol);
                out.push_back(')');
            }
            return;
        case Kind::SmtpGreeting: append_greeting(out, "an SMTP greeting", h); return;
        case Kind::FtpGreeting: append_greeting(out, "an FTP greeting", h); return;
        case Kind::SmtpOrFtpGreeting: append_greeting(out, "an SMTP or FTP greeting", h); return;
        case Kind::PopGreeting: append_greeting(out, "a POP3 greeting", h); return;
        case Kind::ImapGreeting: append_greeting(out, "an IMAP greeting", h); return;
    }
}

}  // namespace

std::string shown_text(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    append_shown_text(out, bytes);
    return out;
}

void append_description(fmt::memory_buffer& out, const ContentHint& hint) {
    if (hint.kind == Kind::Unknown) return;
    append_kind_phrase(out, hint);
    if (hint.malformed) append_text(out, " (malformed)");
    if (hint.over_limit)
        append_text(out, " (longer than the bytes read)");
    else if (hint.bytes_needed != 0 && (hint.kind == Kind::TlsClientHello || hint.kind == Kind::TlsServerHello))
        fmt::format_to(fmt::appender(out), " (incomplete: its first {} bytes are needed)", hint.bytes_needed);
    else if (hint.bytes_needed != 0)
        append_text(out, " (incomplete)");
}

std::string describe(const ContentHint& hint) {
    fmt::memory_buffer out;
    append_description(out, hint);
    return fmt::to_string(out);
}

}  // namespace tfx::content
