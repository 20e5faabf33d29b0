#pragma once
// `tcpflow-explain demo NAME [options]`: plays a real exchange on loopback, captures it
// through libpcap, then walks through the capture as `tcpflow-explain FILE [options]` would.

namespace tfx::demo {

/// argv[0] is "demo". Returns the process exit status.
int run_demo(int argc, char** argv);

}  // namespace tfx::demo
