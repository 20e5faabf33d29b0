// Link-layer types decode_frame understands, and their names for messages and headers.
// Names follow libpcap's DLT_/LINKTYPE_ names (what `tcpdump -L` prints) plus a few words.

#include <string>
#include <string_view>

#include "tfx/link_types.hpp"

namespace tfx {
namespace {

struct LinkName {
    int type;
    std::string_view name;
    bool decoded = false;  ///< decode_frame reads it
};

constexpr LinkName kNames[] = {
    {linktype::kNull, "NULL (BSD loopback)", true},
    {linktype::kEthernet, "EN10MB (Ethernet)", true},
    {linktype::kFddi, "FDDI", true},
    {linktype::kPpp, "PPP", true},
    {linktype::kRaw, "RAW (raw IP)", true},
    {linktype::kRaw14, "RAW (raw IP)", true},
    {linktype::kRaw101, "RAW (raw IP)", true},
    {linktype::kCiscoHdlc, "C_HDLC (Cisco HDLC)", true},
    {linktype::kIeee80211, "IEEE802_11 (802.11)", true},
    {linktype::kLoop, "LOOP (OpenBSD loopback)", true},
    {linktype::kLinuxSll, "LINUX_SLL (Linux cooked v1)", true},
    {linktype::kRadiotap, "IEEE802_11_RADIO (802.11 + radiotap)", true},
    {linktype::kIpv4, "IPV4 (raw IPv4)", true},
    {linktype::kIpv6, "IPV6 (raw IPv6)", true},
    {linktype::kIpoib, "IPOIB (IP over InfiniBand)", true},
    {linktype::kNflog, "NFLOG (Linux netfilter log)", true},
    {linktype::kLinuxSll2, "LINUX_SLL2 (Linux cooked v2)", true},
    // Not decoded, named so that the error message says what the file holds.
    {6, "IEEE802 (Token Ring)"},
    {50, "PPP_SERIAL (PPP in HDLC framing)"},
    {51, "PPP_ETHER (PPPoE)"},
    {107, "FRELAY (Frame Relay)"},
    {119, "PRISM_HEADER (802.11 + Prism)"},
    {163, "IEEE802_11_RADIO_AVS (802.11 + AVS)"},
    {192, "PPI (Per-Packet Information)"},
    {195, "IEEE802_15_4_WITHFCS (802.15.4)"},
    {220, "USB_LINUX_MMAPPED"},
    {249, "NETLINK (Linux netlink)"},
    {253, "NETANALYZER"},
};

}  // namespace

bool link_type_supported(int link_type) {
    for (const auto& n : kNames) {
        if (n.type == link_type) return n.decoded;
    }
    return false;
}

std::string link_type_name(int link_type) {
    for (const auto& n : kNames) {
        if (n.type == link_type) return std::string{n.name};
    }
    return "link type " + std::to_string(link_type);
}

}  // namespace tfx
