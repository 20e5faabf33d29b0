// The named fields of a content hint (hint_fields.hpp).

#include "content/hint_fields.hpp"

#include <type_traits>

#include "content/describe.hpp"

namespace tfx::content {

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
    for_each_hint_field(h, [&](std::string_view name, const auto& value) {
        using Value = std::decay_t<decltype(value)>;
        HintField& f = out.emplace_back();
        f.name = name;
        if constexpr (std::is_same_v<Value, std::string_view>) {
            f.text = std::string(value);
        } else if constexpr (std::is_same_v<Value, WireText>) {
            f.text = shown_text(value.bytes);
        } else if constexpr (std::is_same_v<Value, std::uint64_t>) {
            f.type = HintField::Type::Number;
            f.number = value;
        } else if constexpr (std::is_same_v<Value, FlagField>) {
            f.type = HintField::Type::Flag;
        } else if constexpr (std::is_same_v<Value, TlsVersionField>) {
            f.text = tls_version_name(value.version);
        } else {
            static_assert(std::is_same_v<Value, AlpnField>);
            f.type = HintField::Type::List;
            for (const BoundedText& item : value.names) f.list.push_back(shown_text(item.bytes));
        }
    });
    return out;
}

}  // namespace tfx::content
