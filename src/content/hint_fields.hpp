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

/// Every field name hint_fields() may list, in the order it lists them.
[[nodiscard]] const std::vector<std::string_view>& hint_field_names();

/// The fields of `hint`: `content_kind` always, then those it has.
[[nodiscard]] std::vector<HintField> hint_fields(const ContentHint& hint);

}  // namespace tfx::content
