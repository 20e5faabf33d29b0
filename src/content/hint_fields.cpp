// The named fields of a content hint (hint_fields.hpp).

#include "content/hint_fields.hpp"

#include "content/describe.hpp"

namespace tfx::content {

namespace {

void add_text(std::vector<HintField>& out, std::string_view name, std::string text) {
    HintField f;
    f.name = name;
    f.text = std::move(text);
    out.push_back(std::move(f));
}

void add_text(std::vector<HintField>& out, std::string_view name, const BoundedText& t) {
    if (!t.empty()) add_text(out, name, shown_text(t.bytes));
}

void add_number(std::vector<HintField>& out, std::string_view name, std::uint64_t n) {
    if (n == 0) return;
    HintField f;
    f.name = name;
    f.type = HintField::Type::Number;
    f.number = n;
    out.push_back(std::move(f));
}

void add_flag(std::vector<HintField>& out, std::string_view name, bool set) {
    if (!set) return;
    HintField f;
    f.name = name;
    f.type = HintField::Type::Flag;
    out.push_back(std::move(f));
}

void add_version(std::vector<HintField>& out, std::string_view name, std::uint16_t v) {
    if (v != 0) add_text(out, name, tls_version_name(v));
}

}  // namespace

const std::vector<std::string_view>& hint_field_names() {
    static const std::vector<std::string_view> names = {"content_kind",
                                                        "content_bytes_needed",
                                                        "content_over_limit",
                                                        "content_malformed",
                                                        "http_method",
                                                        "http_target",
                                                        "http_version",
                                                        "http_status",
                                                        "http_reason",
                                                        "tls_record_version",
                                                        "tls_legacy_version",
                                                        "tls_version",
                                                        "tls_cipher_suite",
                                                        "tls_hello_retry_request",
                                                        "tls_sni",
                                                        "alpn",
                                                        "ssh_protocol",
                                                        "ssh_software",
                                                        "ssh_comments",
                                                        "greeting"};
    return names;
}

std::vector<HintField> hint_fields(const ContentHint& h) {
    std::vector<HintField> out;
    add_text(out, "content_kind", std::string(kind_name(h.kind)));
    add_number(out, "content_bytes_needed", h.bytes_needed);
    add_flag(out, "content_over_limit", h.over_limit);
    add_flag(out, "content_malformed", h.malformed);
    add_text(out, "http_method", h.http.method);
    add_text(out, "http_target", h.http.target);
    add_text(out, "http_version", h.http.version);
    add_number(out, "http_status", h.http.status);
    add_text(out, "http_reason", h.http.reason);
    add_version(out, "tls_record_version", h.tls.record_version);
    add_version(out, "tls_legacy_version", h.tls.legacy_version);
    add_version(out, "tls_version", h.tls.version);
    add_number(out, "tls_cipher_suite", h.tls.cipher_suite);
    add_flag(out, "tls_hello_retry_request", h.tls.hello_retry_request);
    add_text(out, "tls_sni", h.tls.server_name);
    if (!h.tls.alpn.empty()) {
        HintField f;
        f.name = "alpn";
        f.type = HintField::Type::List;
        for (const BoundedText& name : h.tls.alpn) f.list.push_back(shown_text(name.bytes));
        out.push_back(std::move(f));
    }
    add_text(out, "ssh_protocol", h.ssh.protocol);
    add_text(out, "ssh_software", h.ssh.software);
    add_text(out, "ssh_comments", h.ssh.comments);
    add_text(out, "greeting", h.greeting);
    return out;
}

}  // namespace tfx::content
