#pragma once
// Addresses and endpoints as text for the per-segment paths of the renderers: written
// through a pointer, with no allocation. The public IpAddress::write_text and
// Endpoint::write_text print the same text through these.

#include <cstddef>

#include "tfx/types.hpp"

namespace tfx::text {

/// Room write_address() needs at `out`. It may write past the end it returns, within this
/// room: an IPv4 octet is copied 4 bytes at a time, its dot and padding included.
inline constexpr std::size_t kAddressRoom = IpAddress::kMaxText;
/// Room write_endpoint() needs at `out`, written past the returned end the same way.
inline constexpr std::size_t kEndpointRoom = Endpoint::kMaxText;

/// Dotted quad, or RFC 5952 compressed IPv6 ("?" when unset); returns the text's end.
char* write_address(char* out, const IpAddress& address);
/// "10.0.0.1:80" or "[::1]:80"; returns the text's end.
char* write_endpoint(char* out, const Endpoint& endpoint);

}  // namespace tfx::text
