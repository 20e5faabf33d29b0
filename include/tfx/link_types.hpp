#pragma once
/// Link-layer header types: the ones decode reads, and their names.

#include <string>

namespace tfx {

/// libpcap link-layer header types we decode (LINKTYPE_* numbers as libpcap reports them).
namespace linktype {
inline constexpr int kNull = 0;
inline constexpr int kEthernet = 1;
inline constexpr int kPpp = 9;
inline constexpr int kFddi = 10;   ///< IP in LLC/SNAP
inline constexpr int kRaw = 12;    ///< DLT_RAW on Linux (LINKTYPE_RAW 101 maps here)
inline constexpr int kRaw14 = 14;  ///< DLT_RAW on OpenBSD
inline constexpr int kRaw101 = 101;
inline constexpr int kCiscoHdlc = 104;
inline constexpr int kIeee80211 = 105;  ///< bare 802.11 frames
inline constexpr int kLoop = 108;
inline constexpr int kLinuxSll = 113;
inline constexpr int kRadiotap = 127;
inline constexpr int kIpv4 = 228;
inline constexpr int kIpv6 = 229;
inline constexpr int kNflog = 239;
inline constexpr int kIpoib = 242;  ///< IP over InfiniBand
inline constexpr int kLinuxSll2 = 276;
}  // namespace linktype

/// True when decode can read frames of this link type.
[[nodiscard]] bool link_type_supported(int link_type);
/// "EN10MB (Ethernet)", "LINUX_SLL2", or "link type 147".
[[nodiscard]] std::string link_type_name(int link_type);

}  // namespace tfx
