#pragma once
/// The libpcap this program runs with, for --version (tfx_pcap is the only code that includes
/// <pcap.h>).

namespace tfx::ingest {

/// pcap_lib_version(): the version string of the libpcap loaded at run time, such as
/// "libpcap version 1.10.3 (with TPACKET_V3)".
const char* pcap_library_version();

}  // namespace tfx::ingest
