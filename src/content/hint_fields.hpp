#pragma once
// A content hint as named fields, plain data for the JSON output and `check` (no renderer
// dependency): {"tls_sni", "example.com"}, {"http_status", 200}, {"alpn", ["h2", ...]}.
// Only the fields the hint has are listed; texts are shown_text() (printable ASCII, other
// bytes as \xNN), so any writer can print them as they are.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/content_hint.hpp"

namespace tfx::content {

struct HintField {
    enum class Type : std::uint8_t { Text, Number, List, Flag };

    std::string_view name;
    Type type = Type::Text;
    std::string text;               ///< Type::Text
    std::uint64_t number = 0;       ///< Type::Number
    std::vector<std::string> list;  ///< Type::List
    // Type::Flag: the field is listed only when true.
};

/// The values for_each_hint_field() gives, besides a kind name (std::string_view, no escaping
/// needed) and a number (std::uint64_t, listed only when not 0).
struct WireText {  ///< text as sent: show it through append_shown_text()
    std::string_view bytes;
};
struct TlsVersionField {  ///< tls_version_name() of it
    std::uint16_t version = 0;
};
struct FlagField {};  ///< listed only when set: true
struct AlpnField {    ///< each name as sent
    const std::vector<BoundedText>& names;
};

/// Gives `visit(name, value)` each field of `hint` in hint_field_names() order: `content_kind`
/// always, then those it has. Nothing is copied: a writer shows the fields straight from it.
template <typename Visit>
void for_each_hint_field(const ContentHint& h, Visit&& visit) {
    const auto text = [&](std::string_view name, const BoundedText& t) {
        if (!t.empty()) visit(name, WireText{t.bytes});
    };
    const auto number = [&](std::string_view name, std::uint64_t n) {
        if (n != 0) visit(name, n);
    };
    const auto flag = [&](std::string_view name, bool set) {
        if (set) visit(name, FlagField{});
    };
    const auto version = [&](std::string_view name, std::uint16_t v) {
        if (v != 0) visit(name, TlsVersionField{v});
    };
    visit(std::string_view("content_kind"), kind_name(h.kind));
    number("content_bytes_needed", h.bytes_needed);
    flag("content_over_limit", h.over_limit);
    flag("content_malformed", h.malformed);
    text("http_method", h.http.method);
    text("http_target", h.http.target);
    text("http_version", h.http.version);
    number("http_status", h.http.status);
    text("http_reason", h.http.reason);
    version("tls_record_version", h.tls.record_version);
    version("tls_legacy_version", h.tls.legacy_version);
    version("tls_version", h.tls.version);
    number("tls_cipher_suite", h.tls.cipher_suite);
    flag("tls_hello_retry_request", h.tls.hello_retry_request);
    text("tls_sni", h.tls.server_name);
    if (!h.tls.alpn.empty()) visit(std::string_view("alpn"), AlpnField{h.tls.alpn});
    text("ssh_protocol", h.ssh.protocol);
    text("ssh_software", h.ssh.software);
    text("ssh_comments", h.ssh.comments);
    text("greeting", h.greeting);
}

/// Every field name hint_fields() may list, in the order it lists them.
[[nodiscard]] const std::vector<std::string_view>& hint_field_names();

/// The fields of for_each_hint_field() as plain data (`check`, tests).
[[nodiscard]] std::vector<HintField> hint_fields(const ContentHint& hint);

}  // namespace tfx::content
