#pragma once
// Recognizers of the line-based first messages: HTTP/1.x request and status lines, the
// HTTP/2 connection preface, SSH identification strings, SMTP/FTP/POP3/IMAP greetings.
//
// Each returns a hint of its kind (fields as far as the bytes go), or Kind::Unknown with
// bytes_needed > 0 when the bytes are the start of its signature and more could decide, or
// an empty hint (Kind::Unknown, 0) when they cannot be its kind.

#include <cstdint>
#include <string_view>

#include "content/content_hint.hpp"

namespace tfx::content::detail {

[[nodiscard]] ContentHint http2_preface(std::string_view s);
[[nodiscard]] ContentHint http_response(std::string_view s);
[[nodiscard]] ContentHint http_request(std::string_view s);
[[nodiscard]] ContentHint ssh_banner(std::string_view s);
/// A "220" greeting: SMTP or FTP by its text, else by `server_port`, else undecided.
[[nodiscard]] ContentHint greeting_220(std::string_view s, std::uint16_t server_port);
[[nodiscard]] ContentHint pop_greeting(std::string_view s);
[[nodiscard]] ContentHint imap_greeting(std::string_view s);

/// What the client's first command says of a "220" greeting: SmtpGreeting after EHLO or
/// HELO (RFC 5321 §4.1.1.1), FtpGreeting after USER, AUTH, FEAT, SYST or OPTS (RFC 959
/// §4.1, RFC 2389, RFC 4217), Unknown otherwise.
[[nodiscard]] Kind greeting_kind_from_client_command(std::string_view client_first);

}  // namespace tfx::content::detail
