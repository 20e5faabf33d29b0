#pragma once
// LINKTYPE_* (what pcap and pcapng files store) to DLT_* (what libpcap hands out), and
// libpcap's snaplen limit, for the readers that parse files without libpcap, so that they
// report what libpcap would. Does not include <pcap.h>.

#include <cstdint>

namespace tfx::ingest {

/// libpcap's MAXIMUM_SNAPLEN: the largest record it accepts for most link types, and the
/// snaplen it reports when a file gives 0.
inline constexpr std::uint32_t kLibpcapMaxSnaplen = 262144;

/// libpcap 1.10's linktype_to_dlt() on Linux: the few historical values below
/// LINKTYPE_MATCHING_MIN (104) whose DLT_* differs; every other value is its own DLT_*.
/// (pcap_file_reader_test checks it against libpcap for every value up to 0xffff.)
[[nodiscard]] constexpr int dlt_from_linktype(int linktype) {
    switch (linktype) {
        case 100: return 11;  // LINKTYPE_ATM_RFC1483 -> DLT_ATM_RFC1483
        case 101: return 12;  // LINKTYPE_RAW -> DLT_RAW
        case 102: return 15;  // LINKTYPE_SLIP_BSDOS -> DLT_SLIP_BSDOS
        case 103: return 16;  // LINKTYPE_PPP_BSDOS -> DLT_PPP_BSDOS
        case 106: return 19;  // LINKTYPE_ATM_CLIP -> DLT_ATM_CLIP
        default: return linktype;
    }
}

}  // namespace tfx::ingest
