#include "ingest/pcap_version.hpp"

#include <pcap/pcap.h>

namespace tfx::ingest {

const char* pcap_library_version() { return pcap_lib_version(); }

}  // namespace tfx::ingest
