#pragma once
// Module note: ingest / pcapng
//   Purpose: read pcapng files ourselves, because libpcap 1.10 keeps one link type per
//   handle and stops at the first Interface Description Block whose link type differs
//   (multi-interface captures from Wireshark, PcapPlusPlus, dumpcap -i a -i b).
//   Input: a FILE* positioned at a Section Header Block. Output: one packet at a time, each
//   with its own interface's link type, snaplen and timestamp scale.
//   Reads: SHB (either byte order, several sections), IDB (if_tsresol as a power of 10 or
//   of 2, if_tsoffset), Enhanced Packet Block, Simple Packet Block, the obsolete Packet
//   Block. Skips every other block (NRB, ISB, DSB, custom, unknown) after checking its
//   framing. Bounded: one reusable buffer of at most one SHB, IDB or kMaxCaplen bytes of
//   packet, blocks capped at kMaxBlockLength, interfaces per section capped at
//   kMaxInterfaces; a packet's captured length capped at its interface's snaplen and
//   kMaxCaplen (libpcap's limits).
//   Errors: a damaged first Section Header Block fails open(); damage later (bad block
//   length, trailer mismatch, a packet naming an unknown interface, a file cut inside a
//   block) ends the read with ReadStatus::Truncated after the good packets.
//   Non-goals: writing pcapng, options other than if_tsresol/if_tsoffset, compressed files.
//   Does not include <pcap.h>.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ingest/read_status.hpp"
#include "tfx/result.hpp"
#include "tfx/types.hpp"

namespace tfx::ingest {

/// One interface (IDB) of a section.
struct PcapngInterface {
    int link_type = 0;
    std::uint32_t snaplen = 0;    ///< 0 = no limit
    std::uint8_t tsresol = 6;     ///< if_tsresol as stored: MSB clear 10^-n, set 2^-(n & 0x7f)
    std::int64_t tsoffset_s = 0;  ///< if_tsoffset, seconds added to every timestamp
};

/// One packet from an EPB, SPB or PB. `data` lives in the reader's buffer until next().
struct PcapngPacket {
    Timestamp ts{};
    int link_type = 0;
    std::uint32_t interface_id = 0;  ///< index in its section
    std::uint32_t snaplen = 0;       ///< its interface's snaplen (0 = no limit)
    std::uint32_t caplen = 0;
    std::uint32_t wirelen = 0;
    std::span<const std::byte> data;
};

/// Converts a pcapng timestamp (a count of 1/resolution units) to nanoseconds since 1970.
/// `tsresol` is the raw if_tsresol byte. The count is read as signed, so a writer's
/// negative time stays a small negative time; results saturate instead of overflowing.
[[nodiscard]] Timestamp pcapng_timestamp(std::uint64_t count, std::uint8_t tsresol, std::int64_t tsoffset_s);

class PcapngReader {
public:
    static constexpr std::uint32_t kMaxBlockLength = 64U << 20;  ///< 64 MiB
    /// The most bytes of one packet handed on (libpcap's maximum snaplen, 262144); a
    /// packet block may hold more, which are skipped.
    static constexpr std::uint32_t kMaxCaplen = 262144;
    static constexpr std::size_t kMaxInterfaces = 65536;  ///< per section

    /// Takes ownership of `fp` (closed on destruction, also on error). `what` names the
    /// file in messages ("'x.pcapng'"). Reads and checks the first Section Header Block,
    /// then walks the whole file once, block headers only, to list every interface's link
    /// type (the walk stops quietly at damage; next() reports it when it gets there).
    /// Error: NotACapture (bad first SHB: byte order, version, length, options).
    [[nodiscard]] static Result<PcapngReader> open(std::FILE* fp, const std::string& what);

    PcapngReader(PcapngReader&&) noexcept;
    PcapngReader& operator=(PcapngReader&&) noexcept;
    PcapngReader(const PcapngReader&) = delete;
    PcapngReader& operator=(const PcapngReader&) = delete;
    ~PcapngReader();

    /// Frame, End (clean end of file), or Truncated with `message` (damage or a cut file),
    /// which is problem()'s sentence in English.
    [[nodiscard]] ReadStatus next(PcapngPacket& out, std::string& message);
    /// Once next() returned Truncated: what was wrong and where (the file, the block's
    /// offset, type and length), to be said in any language. Otherwise nullopt.
    [[nodiscard]] const std::optional<Error>& problem() const;

    /// Distinct link types of every IDB in the file, in order of first appearance.
    [[nodiscard]] const std::vector<int>& link_types() const;
    /// The first interface of the file (default-constructed when it has none).
    [[nodiscard]] const PcapngInterface& first_interface() const;
    [[nodiscard]] bool has_interfaces() const;

private:
    struct Impl;
    explicit PcapngReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tfx::ingest
