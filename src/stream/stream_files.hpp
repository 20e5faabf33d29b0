#pragma once
// Module note: stream / stream_files
//   Purpose: what a directory of rebuilt streams holds: each direction's file name, as
//   tcpflow names them, and its row of streams.json (size, SHA-256, gaps, disagreements).
//   Names: SRCIP.SRCPORT-DSTIP.DSTPORT, IPv4 octets zero-padded to 3 digits and ports to 5
//   (192.168.001.002.00080-010.000.000.001.51000), IPv6 addresses as inet_ntop writes them
//   (2001:db8::1.00443-...), then "--" and the VLAN id when tagged (QinQ: outer.inner), then
//   "c" and the connection number when an earlier connection already used the name (a
//   reused 4-tuple). Every name is one path component of digits, hex letters, '.', ':',
//   '-' and 'c': never "..", never a '/'.
//   Files themselves are created by ingest/output_file (no symbolic link followed, nothing
//   overwritten).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stream/sha256.hpp"
#include "stream/stream_reassembler.hpp"
#include "tfx/types.hpp"

namespace tfx::stream {

/// tcpflow's name for the bytes `src` sent to `dst` (`vlan` as FlowKey packs it, 0 =
/// untagged), without the reuse suffix.
[[nodiscard]] std::string stream_file_name(const Endpoint& src, const Endpoint& dst, std::uint32_t vlan);

/// Names for every direction of a capture, each used once: the first connection on a 4-tuple
/// gets the plain name, a later one the name followed by "c<connection>".
class StreamFileNames {
public:
    [[nodiscard]] std::string name_for(std::uint64_t connection, const Endpoint& src, const Endpoint& dst,
                                       std::uint32_t vlan);

private:
    std::unordered_set<std::string> used_;
};

/// What streams.json lists for one file, gathered as the stream is delivered: its sink
/// (or fed by the sink that writes the file). Ranges and disagreements are listed up to
/// kMaxListed each; the totals count them all.
class StreamDigest : public StreamSink {
public:
    static constexpr std::size_t kMaxListed = 1000;

    struct Gap {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        MissingReason reason{};
    };

    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex frame) override;
    void missing(std::uint64_t offset, std::uint64_t length, MissingReason reason) override;
    void inconsistent(const Inconsistency& found) override;
    void beyond_fin(ByteRange range, FrameIndex frame) override;
    void note(const StreamNote& said) override;

    /// The SHA-256 of the delivered bytes, in order (gaps contribute nothing). Call once.
    [[nodiscard]] std::string sha256_hex() { return hash_.finish_hex(); }
    [[nodiscard]] const std::vector<Gap>& gaps() const { return gaps_; }
    [[nodiscard]] const std::vector<Inconsistency>& inconsistencies() const { return inconsistencies_; }
    [[nodiscard]] const std::vector<StreamNote>& notes() const { return notes_; }

private:
    Sha256 hash_;
    std::vector<Gap> gaps_;
    std::vector<Inconsistency> inconsistencies_;
    std::vector<StreamNote> notes_;
};

/// One row of streams.json.
struct StreamFileRow {
    std::string file;
    std::uint64_t connection = 0;
    Role sender = Role::Client;  ///< whose bytes: "client" or "server"
    std::string sha256;
    StreamTotals totals;
    std::vector<StreamDigest::Gap> gaps;
    std::vector<Inconsistency> inconsistencies;
    std::vector<StreamNote> notes;
    std::optional<std::uint64_t> before_start_bytes;  ///< --write-streams' own member, last
};

/// The row as JSON: file, connection, direction, bytes, sha256, missing_bytes, missing (the
/// listed ranges: offset, length, reason), missing_ranges, duplicate_bytes,
/// overlapping_bytes, inconsistent_retransmissions, inconsistent_bytes, inconsistencies
/// (listed: offset, length, differing_bytes, first/later range and frame), beyond_fin_bytes,
/// after_rst_bytes,
/// notes (listed: offset, kind, text as --follow prints it; AfterFin also length), then
/// before_start_bytes when set.
/// Note texts in `lang`.
[[nodiscard]] nlohmann::ordered_json stream_file_row(const StreamFileRow& row, Language lang = Language::En);
/// The same row as the text nlohmann's dump() prints for it, appended to `out`, written
/// straight into the buffer (no JSON tree): how streams.json is written.
void append_stream_file_row(fmt::memory_buffer& out, const StreamFileRow& row, Language lang = Language::En);

}  // namespace tfx::stream
