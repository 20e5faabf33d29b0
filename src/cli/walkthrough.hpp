#pragma once
// The main command: `tcpflow-explain [options] capture [filter]` or `-i IFACE [filter]`.

namespace tfx::cli {

/// Parses argv, runs the capture, writes the walkthrough. Returns the process exit status.
int run_walkthrough(int argc, char** argv);

}  // namespace tfx::cli
