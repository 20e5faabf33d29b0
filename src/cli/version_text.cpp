#include "cli/version_text.hpp"

#include <fmt/format.h>

#include "ingest/pcap_version.hpp"
#include "tfx/version.hpp"
// Generated at build time (cmake/build_revision.cmake); only this file includes it, so a new
// commit recompiles this file alone.
#include "tfx_build_revision.hpp"

namespace tfx::cli {

std::string version_text() {
    return fmt::format("tcpflow-explain {} (JSON schema {})\ngit revision {}\n{}", kVersion, kSchemaId, kBuildRevision,
                       ingest::pcap_library_version());
}

}  // namespace tfx::cli
