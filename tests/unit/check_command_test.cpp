// `tcpflow-explain check` run in-process on the samples (cli/check_command): exit codes and
// the fields the samples teach.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/check_command.hpp"

namespace tfx::cli {
namespace {

using namespace std::chrono_literals;

int check(std::vector<std::string> args, std::string* out = nullptr) {
    args.insert(args.begin(), "check");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    const int rc = run_check(static_cast<int>(args.size()), argv.data());
    const auto o = testing::internal::GetCapturedStdout();
    const auto e = testing::internal::GetCapturedStderr();
    if (out != nullptr) *out = o + e;
    return rc;
}

TEST(CheckCommand, ExitCodes) {
    const std::string seed = std::string(TFX_SOURCE_DIR) + "/samples/seed-pouet.pcap";
    std::string out;
    EXPECT_EQ(check({seed, "-e", "handshake == complete", "-e", "close == graceful"}, &out), 0) << out;
    EXPECT_EQ(check({seed, "-e", "close == reset"}, &out), 1) << out;
    EXPECT_NE(out.find("FAIL  close == reset"), std::string::npos) << out;
    EXPECT_EQ(check({seed, "-e", "close =="}, &out), 2) << out;
    EXPECT_NE(out.find("expected a value"), std::string::npos) << out;
    EXPECT_EQ(check({seed + ".missing", "-e", "close == graceful"}, &out), 2) << out;
    EXPECT_EQ(check({seed}, &out), 2) << out;
    EXPECT_EQ(check({seed, "-e", "close == graceful", "--", "true"}, &out), 2) << out;
}

TEST(CheckCommand, TimingVantageAndCaptureDropFields) {
    const std::string samples = std::string(TFX_SOURCE_DIR) + "/samples/";
    std::string out;
    // The loopback seed: a one-exchange conversation, SYN and SYN-ACK legs alike.
    EXPECT_EQ(check({samples + "seed-pouet.pcap", "-e",
                     "time_to_first_byte == none and server_think_max == none and capture_dropped_bytes == 0"},
                    &out),
              0)
        << out;
    // Captured at the client through a 10 ms bridge: the SYN -> SYN-ACK leg is the round trip.
    EXPECT_EQ(check({samples + "keepalive.pcap", "-e",
                     "vantage == near_client and time_to_first_byte > 15ms and server_think_max > 15ms"},
                    &out),
              0)
        << out;
    // tcpdump dropped frames: every connection lost bytes in the capture, not the network.
    EXPECT_EQ(check({samples + "capture-drop.pcap", "-e", "capture_dropped_bytes > 0 and retransmissions == 0"}, &out),
              0)
        << out;
    EXPECT_EQ(check({samples + "capture-drop.pcap", "-e", "capture_drop == 0"}, &out), 1) << out;
}

// One meaning per word: client_bytes counts each sequence number once, as the text, --summary
// and the CSV do (40000 in loss-retrans: the client's kernel wrote 40000 bytes), and
// client_payload_bytes what the capture carried with the three resent segments (3 x 1448).
TEST(CheckCommand, bytes_count_each_sequence_number_once_and_payload_bytes_include_resends) {
    const std::string samples = std::string(TFX_SOURCE_DIR) + "/samples/";
    std::string out;
    EXPECT_EQ(check({samples + "loss-retrans.pcap", "-e",
                     "client_bytes == 40000 and client_payload_bytes == 44344 and retransmitted_bytes == 4344"},
                    &out),
              0)
        << out;
    // capture-drop: each client sent 40000 bytes; the capture holds fewer of them.
    EXPECT_EQ(
        check({samples + "capture-drop.pcap", "-e", "client_bytes == 40000 and client_payload_bytes < 40000"}, &out), 0)
        << out;
}

}  // namespace
}  // namespace tfx::cli
