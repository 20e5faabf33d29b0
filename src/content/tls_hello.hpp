#pragma once
// Recognizer of a TLS ClientHello or ServerHello at the start of a direction (RFC 8446 §5.1
// records, §4.1.2 and §4.1.3 hellos; the same layout since TLS 1.0): the handshake message
// is gathered from consecutive handshake records, up to kMaxHelloBytes, then read for its
// versions, server name and ALPN. Same contract as the recognizers of text_protocols.hpp.

#include <cstdint>
#include <span>

#include "content/content_hint.hpp"

namespace tfx::content::detail {

[[nodiscard]] ContentHint tls_hello(std::span<const std::uint8_t> bytes);

}  // namespace tfx::content::detail
