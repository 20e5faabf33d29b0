// The line-based first messages (text_protocols.hpp). Only the first line is read, within
// kMaxLineBytes; a line whose end has not come yet gives the fields seen so far.

#include "content/text_protocols.hpp"

#include <array>

#include "content/text_scan.hpp"

namespace tfx::content::detail {

namespace {

/// RFC 9113 §3.4: the client connection preface of HTTP/2 (24 octets).
constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// The request methods of RFC 9110 §9 and PATCH (RFC 5789): a request line still being
/// received is an HTTP request when it starts with one of these and a space. A complete
/// request line may carry any method token.
constexpr std::array<std::string_view, 9> kKnownMethods = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                           "CONNECT", "OPTIONS", "TRACE", "PATCH"};

[[nodiscard]] ContentHint needs(std::size_t n) {
    ContentHint h;
    h.bytes_needed = n;
    return h;
}

[[nodiscard]] ContentHint of_kind(Kind k) {
    ContentHint h;
    h.kind = k;
    return h;
}

/// A line not ended yet: ask for the rest up to the bound, or say the bound was reached.
void note_unended(ContentHint& h, const Line& line, std::string_view s) {
    if (line.ended) return;
    if (past_line_bound(s))
        h.over_limit = true;
    else
        h.bytes_needed = kMaxLineBytes;
}

[[nodiscard]] bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[nodiscard]] bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (!is_tchar(c)) return false;
    return true;
}

[[nodiscard]] bool is_known_method(std::string_view m) {
    for (const auto known : kKnownMethods)
        if (m == known) return true;
    return false;
}

[[nodiscard]] bool starts_a_known_method(std::string_view m) {
    for (const auto known : kKnownMethods)
        if (m.size() <= known.size() && known.substr(0, m.size()) == m) return true;
    return false;
}

/// RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT.
[[nodiscard]] bool is_http_version(std::string_view v) {
    return v.size() == 8 && v.substr(0, 5) == "HTTP/" && is_digit(v[5]) && v[6] == '.' && is_digit(v[7]);
}

/// `v` is HTTP-version or the start of one.
[[nodiscard]] bool could_become_http_version(std::string_view v) {
    constexpr std::string_view kPattern = "HTTP/9.9";  // '9': any digit
    if (v.size() > kPattern.size()) return false;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (kPattern[i] == '9' ? !is_digit(v[i]) : v[i] != kPattern[i]) return false;
    return true;
}

/// The three-digit code at the start of `s`, 0 when there is none.
[[nodiscard]] std::uint16_t three_digits(std::string_view s) {
    if (s.size() < 3 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2])) return 0;
    return static_cast<std::uint16_t>((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
}

/// The greeting hint of `kind` for the first line of `s`.
[[nodiscard]] ContentHint greeting_line(Kind kind, std::string_view s) {
    const Line line = line_at(s, 0);
    ContentHint h = of_kind(kind);
    h.greeting = bounded(line.text);
    note_unended(h, line, s);
    return h;
}

[[nodiscard]] bool ends_keyword(std::string_view s, std::size_t at) {
    return at >= s.size() || s[at] == ' ' || s[at] == '\r' || s[at] == '\n';
}

}  // namespace

ContentHint http2_preface(std::string_view s) {
    if (s.substr(0, kHttp2Preface.size()) == kHttp2Preface) return of_kind(Kind::Http2Preface);
    if (proper_prefix_of(s, kHttp2Preface)) return needs(kHttp2Preface.size());
    return {};
}

// RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF.
ContentHint http_response(std::string_view s) {
    constexpr std::string_view kStart = "HTTP/";
    if (proper_prefix_of(s, kStart)) return needs(kMaxLineBytes);
    if (s.substr(0, kStart.size()) != kStart) return {};
    const Line line = line_at(s, 0);
    ContentHint h = of_kind(Kind::HttpResponse);
    note_unended(h, line, s);
    const std::size_t sp = line.text.find(' ');
    const std::string_view version = take(line.text, sp);
    if (sp == std::string_view::npos) {
        h.malformed = line.ended || !could_become_http_version(version);
        return h;
    }
    if (!is_http_version(version)) {
        h.malformed = true;
        return h;
    }
    h.http.version = bounded(version);
    const std::string_view after = drop(line.text, sp + 1);
    if (after.size() < 3) {  // the code is still arriving
        h.malformed = line.ended || after.find_first_not_of("0123456789") != std::string_view::npos;
        return h;
    }
    h.http.status = three_digits(after);
    if (h.http.status < 100 || h.http.status > 599 || (after.size() > 3 && after[3] != ' ')) {
        h.malformed = true;
        return h;
    }
    h.http.reason = bounded(drop(after, 4));
    return h;
}

// RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF.
ContentHint http_request(std::string_view s) {
    const Line line = line_at(s, 0);
    const std::string_view text = line.text;
    const std::size_t sp = text.find(' ');
    const std::string_view method = take(text, sp);
    if (!is_token(method)) return {};
    if (sp == std::string_view::npos) {
        if (line.ended || past_line_bound(s) || !starts_a_known_method(method)) return {};
        return needs(kMaxLineBytes);
    }
    const std::string_view rest = drop(text, sp + 1);
    const std::size_t sp2 = rest.find(' ');
    const std::string_view target = take(rest, sp2);
    const std::string_view version = sp2 == std::string_view::npos ? std::string_view{} : drop(rest, sp2 + 1);
    const bool complete = line.ended && !target.empty() && is_http_version(version);
    if (!complete && !is_known_method(method)) return {};
    ContentHint h = of_kind(Kind::HttpRequest);
    h.http.method = bounded(method);
    h.http.target = bounded(target);
    if (complete) {
        h.http.version = bounded(version);
        return h;
    }
    note_unended(h, line, s);
    // An ended line without a version (HTTP/0.9, a stray space), or a request line so far
    // that no more bytes can make valid.
    const bool target_ended = sp2 != std::string_view::npos;
    h.malformed = line.ended || (target_ended && (target.empty() || !could_become_http_version(version)));
    return h;
}

// RFC 4253 §4.2: "SSH-protoversion-softwareversion SP comments CR LF", at most 255 bytes
// with the CR LF; a server may send other lines first (none of them starting "SSH-").
ContentHint ssh_banner(std::string_view s) {
    constexpr std::string_view kStart = "SSH-";
    for (std::size_t at = 0;;) {
        const Line line = line_at(s, at);
        if (line.text.substr(0, kStart.size()) == kStart) {
            ContentHint h = of_kind(Kind::SshBanner);
            note_unended(h, line, s);
            const std::string_view ident = drop(line.text, kStart.size());
            const std::size_t dash = ident.find('-');
            h.ssh.protocol = bounded(take(ident, dash));
            if (dash == std::string_view::npos) {
                h.malformed = line.ended;
                return h;
            }
            const std::string_view after = drop(ident, dash + 1);
            const std::size_t sp = after.find(' ');
            h.ssh.software = bounded(take(after, sp));
            if (sp != std::string_view::npos) h.ssh.comments = bounded(drop(after, sp + 1));
            h.malformed = h.ssh.software.empty() && line.ended;
            return h;
        }
        if (!line.ended) return at == 0 && proper_prefix_of(line.text, kStart) ? needs(kStart.size()) : ContentHint{};
        at = line.next;
    }
}

// RFC 5321 §4.2 and RFC 959 §4.2: "220" then a space, or a hyphen when more lines follow.
ContentHint greeting_220(std::string_view s, std::uint16_t server_port) {
    if (proper_prefix_of(s, "220 ") || proper_prefix_of(s, "220-")) return needs(4);
    if (s.substr(0, 4) != "220 " && s.substr(0, 4) != "220-") return {};
    const std::string_view first = line_at(s, 0).text;
    Kind kind = Kind::SmtpOrFtpGreeting;
    if (contains_nocase(first, "SMTP"))  // ESMTP too
        kind = Kind::SmtpGreeting;
    else if (contains_nocase(first, "FTP"))
        kind = Kind::FtpGreeting;
    else if (server_port == 21)
        kind = Kind::FtpGreeting;
    else if (server_port == 25 || server_port == 587 || server_port == 2525)
        kind = Kind::SmtpGreeting;
    return greeting_line(kind, s);
}

// RFC 1939 §4: the server greets with a positive response, "+OK" and text.
ContentHint pop_greeting(std::string_view s) {
    if (proper_prefix_of(s, "+OK")) return needs(4);
    if (s.substr(0, 3) != "+OK" || !ends_keyword(s, 3)) return {};
    if (s.size() == 3) return needs(4);
    return greeting_line(Kind::PopGreeting, s);
}

// RFC 9051 §7.1: the greeting is an untagged OK, PREAUTH or BYE (keywords are
// case-insensitive).
ContentHint imap_greeting(std::string_view s) {
    if (proper_prefix_of(s, "* ")) return needs(kMaxLineBytes);
    if (s.substr(0, 2) != "* ") return {};
    const std::string_view word = drop(s, 2);
    for (const std::string_view keyword :
         {std::string_view("OK"), std::string_view("PREAUTH"), std::string_view("BYE")}) {
        if (word.size() < keyword.size()) {
            if (starts_with_nocase(word, keyword.substr(0, word.size()))) return needs(kMaxLineBytes);
            continue;
        }
        if (starts_with_nocase(word, keyword)) {
            if (word.size() == keyword.size()) return needs(kMaxLineBytes);
            if (ends_keyword(word, keyword.size())) return greeting_line(Kind::ImapGreeting, s);
        }
    }
    return {};
}

Kind greeting_kind_from_client_command(std::string_view client_first) {
    // Most first bytes start with none of the commands' first letters: no line to look for.
    if (client_first.empty()) return Kind::Unknown;
    switch (client_first[0] | 0x20) {
        case 'e':
        case 'h':
        case 'u':
        case 'a':
        case 'f':
        case 's':
        case 'o': break;
        default: return Kind::Unknown;
    }
    const std::string_view line = line_at(client_first, 0).text;
    const std::string_view command = take(line, line.find(' '));
    for (const std::string_view smtp : {"EHLO", "HELO"})
        if (command.size() == smtp.size() && starts_with_nocase(command, smtp)) return Kind::SmtpGreeting;
    for (const std::string_view ftp : {"USER", "AUTH", "FEAT", "SYST", "OPTS"})
        if (command.size() == ftp.size() && starts_with_nocase(command, ftp)) return Kind::FtpGreeting;
    return Kind::Unknown;
}

}  // namespace tfx::content::detail
