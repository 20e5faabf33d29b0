#pragma once
// Where a demo runs: a loopback of its own, in a private network namespace (no other
// traffic, nothing left behind when the process exits), when the process may create one.
//
// unshare(CLONE_NEWNET) moves only the calling thread, and threads keep the namespace they
// were created in: enter_private_loopback() must run before this process starts any thread.

#include <string>

#include "demo/loopback_socket.hpp"

namespace tfx::demo {

/// Moves the process into a new network namespace and brings its `lo` up. On failure (not
/// root, no CAP_SYS_ADMIN, namespaces disabled) the process stays where it was and the
/// problem says why.
[[nodiscard]] Problem enter_private_loopback();

/// Slows the private `lo` down so that segments wait in its queue for hundreds of
/// milliseconds: MTU 1500 and a token bucket (tc qdisc tbf, 64 kbit/s, 3000-byte burst).
/// Only in a namespace enter_private_loopback() made: never on the host's loopback.
[[nodiscard]] Problem shape_loopback();

}  // namespace tfx::demo
