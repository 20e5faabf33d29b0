#pragma once
// How a sentence names a file, filter or interface: between straight single quotes, in every
// language, so that it can be copied back into a shell as it is.

#include <string>
#include <string_view>

namespace tfx::text {

/// "'x.pcap'" for x.pcap.
[[nodiscard]] std::string quoted(std::string_view name);

}  // namespace tfx::text
