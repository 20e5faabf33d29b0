#pragma once
// Flow keys for the flow/ tests: key_of(n) is a distinct IPv4 key for every n below 2^24.

#include <cstdint>

#include "tfx/types.hpp"

namespace tfx::test {

inline FlowKey key_of(std::uint32_t n) {
    Endpoint a, b;
    a.addr.version = b.addr.version = 4;
    a.addr.bytes = {10, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                    static_cast<std::uint8_t>(n)};
    b.addr.bytes = {192, 0, 2, 1};
    a.port = static_cast<std::uint16_t>(1024 + n % 50000);
    b.port = 443;
    return FlowKey::from(a, b, 0);
}

}  // namespace tfx::test
