#pragma once
/// What --version prints.

#include <string>

namespace tfx::cli {

/// Three lines: the tool's version and JSON schema id, the git revision it was built from
/// ("unknown" when not built from a git checkout) and the libpcap it runs with.
std::string version_text();

}  // namespace tfx::cli
