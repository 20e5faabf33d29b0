#pragma once
// Which recognizers the first bytes of a direction leave possible, from a glance at their
// start: most of a capture's directions are none of the kinds, and telling so must not
// cost a parse (nor building a hint) per recognizer. A recognizer left out here can only
// answer "not my kind" (Kind::Unknown, bytes_needed 0) for these bytes; one kept in may
// still say so.

#include <cstdint>
#include <span>

#include "content/content_hint.hpp"

namespace tfx::content::detail {

/// The recognizers, in the order identify() asks them.
enum class Recognizer : std::uint8_t {
    TlsHello,
    Http2Preface,
    HttpResponse,
    HttpRequest,
    SshBanner,
    Greeting220,
    PopGreeting,
    ImapGreeting,
};
inline constexpr std::size_t kRecognizerCount = 8;

/// A set of recognizers.
class Recognizers {
public:
    void add(Recognizer r) { bits_ = static_cast<std::uint8_t>(bits_ | bit(r)); }
    [[nodiscard]] bool has(Recognizer r) const { return (bits_ & bit(r)) != 0; }
    [[nodiscard]] bool empty() const { return bits_ == 0; }

private:
    [[nodiscard]] static std::uint8_t bit(Recognizer r) {
        return static_cast<std::uint8_t>(1U << static_cast<unsigned>(r));
    }
    std::uint8_t bits_ = 0;
};

/// The recognizers that may recognize `first_bytes` or ask for more of them (not empty).
[[nodiscard]] Recognizers possible_recognizers(std::span<const std::uint8_t> first_bytes);

/// What recognizer `r` says of `first_bytes` (text_protocols.hpp, tls_hello.hpp).
[[nodiscard]] ContentHint recognize(Recognizer r, std::span<const std::uint8_t> first_bytes, std::uint16_t server_port);

}  // namespace tfx::content::detail
