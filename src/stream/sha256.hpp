#pragma once
// SHA-256 (FIPS 180-4), incremental, for the hash of each rebuilt stream: fed the delivered
// bytes as they come, so a stream is hashed without being held.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace tfx::stream {

class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    void update(std::span<const std::byte> bytes);
    /// The digest of everything updated so far. The object is spent after it.
    [[nodiscard]] Digest finish();
    /// finish() as 64 lower-case hex digits.
    [[nodiscard]] std::string finish_hex();

private:
    std::array<std::uint32_t, 8> state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::array<std::uint8_t, 64> block_{};
    std::size_t used_ = 0;      ///< bytes waiting in block_
    std::uint64_t length_ = 0;  ///< bytes updated in all
};

}  // namespace tfx::stream
