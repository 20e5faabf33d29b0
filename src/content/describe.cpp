// The phrases of the content hints (describe.hpp), worded by the catalogue.

#include "content/describe.hpp"

#include <fmt/format.h>

#include "i18n/catalogue.hpp"

namespace tfx::content {

using i18n::Msg;

namespace {

/// Appends a field for a phrase: escaped, and cut at kMaxShownChars (or where the hint cut it).
void append_shown(fmt::memory_buffer& out, const BoundedText& t) {
    const bool cut = t.cut || t.bytes.size() > kMaxShownChars;
    append_shown_text(out, std::string_view(t.bytes).substr(0, kMaxShownChars));
    if (cut) out.append(std::string_view("..."));
}

/// append_shown() as a string, for a field that is a parameter of a message.
std::string shown(const BoundedText& t) {
    fmt::memory_buffer out;
    append_shown(out, t);
    return fmt::to_string(out);
}

void append_text(fmt::memory_buffer& out, std::string_view text) { out.append(text); }

/// "<before><field>", when the hint has the field.
void append_if_any(fmt::memory_buffer& out, std::string_view before, const BoundedText& t) {
    if (t.empty()) return;
    append_text(out, before);
    append_shown(out, t);
}

void append_alpn_list(fmt::memory_buffer& out, const TlsHint& tls, Language lang) {
    append_text(out, " (ALPN ");
    for (std::size_t i = 0; i < tls.alpn.size() && i < kMaxShownNames; ++i) {
        if (i != 0) append_text(out, ", ");
        append_shown(out, tls.alpn[i]);
    }
    if (tls.alpn.size() > kMaxShownNames)
        i18n::say(out, lang, Msg::ContentAlpnMore, {tls.alpn.size() - kMaxShownNames});
    out.push_back(')');
}

/// ", <version>" or, with `up_to`, ", up to <version>", then " (ALPN ...)", each part only when
/// the hello has it.
void append_tls_version_and_alpn(fmt::memory_buffer& out, bool up_to, const TlsHint& tls, Language lang) {
    if (tls.version != 0) {
        if (up_to) {
            i18n::say(out, lang, Msg::ContentUpTo, {tls_version_name(tls.version)});
        } else {
            append_text(out, ", ");
            append_text(out, tls_version_name(tls.version));
        }
    }
    if (!tls.alpn.empty()) append_alpn_list(out, tls, lang);
}

/// "<lead>, <greeting>" for the greeting kinds.
void append_greeting(fmt::memory_buffer& out, Msg lead, const ContentHint& h, Language lang) {
    i18n::say(out, lang, lead);
    append_text(out, ", ");
    append_shown(out, h.greeting);
}

void append_kind_phrase(fmt::memory_buffer& out, const ContentHint& h, Language lang) {
    switch (h.kind) {
        case Kind::Unknown: return;
        case Kind::HttpRequest:
            i18n::say(out, lang, Msg::ContentHttpRequest);
            append_if_any(out, ", ", h.http.method);
            append_if_any(out, " ", h.http.target);
            return;
        case Kind::HttpResponse:
            if (h.http.version.empty())
                i18n::say(out, lang, Msg::ContentHttpResponse);
            else
                i18n::say(out, lang, Msg::ContentHttpVersionResponse, {shown(h.http.version)});
            if (h.http.status != 0) fmt::format_to(fmt::appender(out), ", {}", h.http.status);
            append_if_any(out, " ", h.http.reason);
            return;
        case Kind::Http2Preface: i18n::say(out, lang, Msg::ContentHttp2Preface); return;
        case Kind::TlsClientHello:
            if (h.tls.server_name.empty())
                i18n::say(out, lang, Msg::ContentClientHelloNoName);
            else
                i18n::say(out, lang, Msg::ContentClientHelloFor, {shown(h.tls.server_name)});
            append_tls_version_and_alpn(out, true, h.tls, lang);
            return;
        case Kind::TlsServerHello:
            i18n::say(out, lang, h.tls.hello_retry_request ? Msg::ContentHelloRetryRequest : Msg::ContentServerHello);
            append_tls_version_and_alpn(out, false, h.tls, lang);
            return;
        case Kind::SshBanner:
            i18n::say(out, lang, Msg::ContentSshBanner);
            append_if_any(out, ", ", h.ssh.software);
            if (!h.ssh.protocol.empty() && h.ssh.protocol.bytes != "2.0")
                i18n::say(out, lang, Msg::ContentSshProtocol, {shown(h.ssh.protocol)});
            return;
        case Kind::SmtpGreeting: append_greeting(out, Msg::ContentSmtpGreeting, h, lang); return;
        case Kind::FtpGreeting: append_greeting(out, Msg::ContentFtpGreeting, h, lang); return;
        case Kind::SmtpOrFtpGreeting: append_greeting(out, Msg::ContentSmtpOrFtpGreeting, h, lang); return;
        case Kind::PopGreeting: append_greeting(out, Msg::ContentPopGreeting, h, lang); return;
        case Kind::ImapGreeting: append_greeting(out, Msg::ContentImapGreeting, h, lang); return;
    }
}

}  // namespace

std::string shown_text(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    append_shown_text(out, bytes);
    return out;
}

void append_description(fmt::memory_buffer& out, const ContentHint& hint, Language lang) {
    if (hint.kind == Kind::Unknown) return;
    append_kind_phrase(out, hint, lang);
    if (hint.malformed) i18n::say(out, lang, Msg::ContentMalformed);
    if (hint.over_limit)
        i18n::say(out, lang, Msg::ContentOverLimit);
    else if (hint.bytes_needed != 0 && (hint.kind == Kind::TlsClientHello || hint.kind == Kind::TlsServerHello))
        i18n::say(out, lang, Msg::ContentHelloIncomplete, {hint.bytes_needed});
    else if (hint.bytes_needed != 0)
        i18n::say(out, lang, Msg::ContentIncomplete);
}

std::string describe(const ContentHint& hint, Language lang) {
    fmt::memory_buffer out;
    append_description(out, hint, lang);
    return fmt::to_string(out);
}

}  // namespace tfx::content
