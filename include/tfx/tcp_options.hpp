#pragma once
/// Decoded TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018, RFC 7413).

#include <array>
#include <cstdint>
#include <optional>

namespace tfx {

namespace tcpopt {
inline constexpr std::uint8_t kEol = 0;
inline constexpr std::uint8_t kNop = 1;
inline constexpr std::uint8_t kMss = 2;
inline constexpr std::uint8_t kWindowScale = 3;
inline constexpr std::uint8_t kSackPermitted = 4;
inline constexpr std::uint8_t kSack = 5;
inline constexpr std::uint8_t kTimestamps = 8;
inline constexpr std::uint8_t kMd5 = 19;
inline constexpr std::uint8_t kAuthentication = 29;  ///< TCP-AO, RFC 5925
inline constexpr std::uint8_t kMptcp = 30;
inline constexpr std::uint8_t kFastOpen = 34;
inline constexpr std::uint8_t kExperimental = 254;  ///< RFC 6994; TFO used magic 0xF989 here
}  // namespace tcpopt

/// One SACK block as carried on the wire: [left, right) in the sender's peer's sequence space.
struct SackBlock {
    std::uint32_t left = 0;
    std::uint32_t right = 0;
    [[nodiscard]] bool operator==(const SackBlock&) const = default;
};

struct TimestampOption {
    std::uint32_t value = 0;
    std::uint32_t echo_reply = 0;
    [[nodiscard]] bool operator==(const TimestampOption&) const = default;
};

/// Every option of one segment. Fixed size: decoding allocates nothing.
struct TcpOptions {
    static constexpr int kMaxEntries = 40;  ///< 40 option bytes at most, one byte per kind

    /// Option kinds in wire order (NOP and EOL included), for display.
    std::array<std::uint8_t, kMaxEntries> kinds{};
    std::uint8_t count = 0;

    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> window_scale;  ///< shift count as sent (may exceed 14)
    bool sack_permitted = false;
    std::array<SackBlock, 4> sack{};
    std::uint8_t sack_count = 0;
    std::optional<TimestampOption> timestamps;
    bool fast_open = false;  ///< TFO (kind 34, or 254 with magic 0xF989)
    std::uint8_t fast_open_cookie_len = 0;
    /// Options were cut by the capture's snaplen: what is listed is what was captured.
    bool truncated = false;
    /// An option had a bad length (0, 1, wrong for its kind, or past the header).
    bool malformed = false;
};

}  // namespace tfx
