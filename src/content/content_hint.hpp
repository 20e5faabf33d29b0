#pragma once
// What is inside a TCP connection, from the first bytes of each direction: one hint per
// direction (an HTTP request line, a TLS ClientHello's server name, an SSH banner, a mail
// server's greeting ...). Not a protocol analyzer: only the first message is looked at, and
// only the few fields a person asks about first (docs/content.md).
//
// Every parser reads through decode::ByteReader: nothing is read past the span, nothing
// throws. Text fields keep the bytes as sent (a hostile peer chooses them), cut at
// kMaxTextBytes; describe() escapes them for a terminal.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tfx/content.hpp"

namespace tfx::content {

/// Stable snake_case name ("tls_client_hello"), for JSON and `check`.
[[nodiscard]] std::string_view kind_name(Kind k);

/// The hint for the first bytes one side sent. `server_port` only tells SMTP from FTP when
/// a "220" greeting's text does not; the sender's role is not asked for: every kind says
/// by itself which side sends it, and a capture's roles can be guessed wrong.
[[nodiscard]] ContentHint identify(std::span<const std::uint8_t> first_bytes, std::uint16_t server_port);

/// Both directions' hints. The pair says more than each side alone: a "220" greeting is
/// SMTP when the client answers EHLO or HELO, FTP when it answers USER, AUTH, FEAT ...
[[nodiscard]] ConnectionHints identify_connection(std::span<const std::uint8_t> client_first,
                                                  std::span<const std::uint8_t> server_first,
                                                  std::uint16_t server_port);

/// A server's "220" greeting that neither its text nor the port told apart, made SMTP or FTP
/// by the kind the client's first command names (`by_client_command`, Unknown: unchanged).
void refine_greeting(ContentHint& server, Kind by_client_command);

/// "TLS 1.3", "SSL 3.0", "TLS 1.3 draft 23", "GREASE 0x0a0a" or "0x1234".
[[nodiscard]] std::string tls_version_name(std::uint16_t version);

}  // namespace tfx::content
