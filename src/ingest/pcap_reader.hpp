#pragma once
// Module note: ingest
//   Purpose: read frames from a capture file (pcap or pcapng), stdin or a live interface
//   through libpcap, and hand them over as RawFrame with nanosecond timestamps.
//   Input: a path ("-" = stdin) or an interface name. Output: RawFrame, one at a time; the
//   frame's bytes are valid until the next call to next() (they live in libpcap's,
//   PcapngReader's or ClassicPcapReader's buffer).
//   Also: BPF filters, -w dumping, kernel drop statistics, dropping root privileges.
//   Errors: opening problems come back as tfx::Error with one message naming the file;
//   a file that ends inside a record reads as ReadStatus::Truncated after its good frames.
//   This is the only code that includes <pcap.h>; the header does not expose it.
//   pcapng files are read by PcapngReader (pcapng_reader.hpp), not libpcap: libpcap 1.10
//   stops at an interface whose link type differs from the first. Each RawFrame carries
//   its own interface's link type; BPF filters are compiled per link type. Classic pcap
//   regular files are checked by libpcap at open, then their records are read in 1 MiB
//   blocks by ClassicPcapReader (pcap_file_reader.hpp), which reads them as libpcap would
//   without its 4 KiB reads and per-record copy; libpcap reads them when it cannot.
//   Standard input, FIFOs, devices and live captures stay with libpcap.
//   Non-goals: decoding (see decode/), writing pcapng.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ingest/output_file.hpp"
#include "ingest/read_status.hpp"
#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx::ingest {

/// Kernel counters of a live capture (pcap_stats).
struct Stats {
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;     ///< dropped by the kernel: no buffer space
    std::uint64_t if_dropped = 0;  ///< dropped by the interface or driver
};

/// A capture source. Move-only; closes libpcap's handle (and any dump file) on destruction.
class PcapReader {
public:
    /// Opens a pcap or pcapng file ("-" reads stdin), always with nanosecond timestamps.
    /// Errors: CannotOpen (missing, unreadable, a directory), NotACapture (empty, bad magic,
    /// damaged header), UnsupportedLink.
    [[nodiscard]] static Result<PcapReader> open_file(const std::string& path);
    /// Opens a live capture in immediate mode. Errors: Permission (needs root or
    /// CAP_NET_RAW), CannotOpen (no such interface), UnsupportedLink, Io.
    [[nodiscard]] static Result<PcapReader> open_live(const std::string& iface, int snaplen, bool promisc);

    PcapReader(PcapReader&& other) noexcept;
    PcapReader& operator=(PcapReader&& other) noexcept;
    PcapReader(const PcapReader&) = delete;
    PcapReader& operator=(const PcapReader&) = delete;
    ~PcapReader();

    /// Installs a BPF filter (compiled with PCAP_NETMASK_UNKNOWN). Files: applied by next()
    /// to each frame read, which keeps its number in the file; live captures: installed in
    /// the kernel, which passes only the frames that match. Error: BadFilter.
    [[nodiscard]] Result<bool> set_filter(const std::string& bpf);
    /// Files: compiles the filter as set_filter() does, but next() returns every frame and
    /// the caller asks accepts(): for frames numbered after a merge (capture_set.hpp).
    [[nodiscard]] Result<bool> prepare_filter(const std::string& bpf);
    /// Whether `frame` (from next()) passes the prepared filter; true without one.
    [[nodiscard]] bool accepts(const RawFrame& frame);

    /// Reads the next frame. Frame indexes count from 1: in a file, every frame of the file
    /// (tshark's frame.number, a filter or not); live, every frame captured after the kernel's
    /// filter. Timestamps are in nanoseconds.
    /// A live capture keeps waiting through read timeouts until a frame, break_loop() or an
    /// error.
    [[nodiscard]] ReadStatus next(RawFrame& out, std::string& message);
    /// After next() returned Truncated or Error on a file this project reads itself (pcapng,
    /// or classic pcap read directly), or on a limit of libpcap's that this project words (a
    /// pcapng stream's interfaces of different link types): what happened, to be said in any
    /// language (the message next() gave is its English). Otherwise nullopt: the message is
    /// libpcap's, as libpcap words it.
    [[nodiscard]] std::optional<Error> problem() const;

    /// Makes a pending or the next next() return End. Async-signal-safe.
    void break_loop() noexcept;

    /// Kernel statistics; nullopt for files or when libpcap cannot provide them.
    [[nodiscard]] std::optional<Stats> stats() const;

    /// The capture's link type: for pcapng files, the first interface's (Ethernet when
    /// the file has none). Each RawFrame carries its own.
    [[nodiscard]] int link_type() const;
    /// Every link type of the capture, distinct, in order of first appearance: one for pcap
    /// files and live captures; for pcapng files, every interface of every section (found
    /// by a walk over the block headers at open). For CaptureInfo::link_types.
    [[nodiscard]] std::vector<int> link_types() const;
    [[nodiscard]] std::uint32_t snaplen() const;
    /// The file stored nanosecond timestamps (nsec pcap magic, or pcapng if_tsresol 9 on its
    /// first interface). False for live captures and when it cannot be told (stdin).
    [[nodiscard]] bool nanosecond_file() const;
    /// "pcap", "pcapng" or "live".
    [[nodiscard]] std::string format() const;
    [[nodiscard]] bool is_live() const;
    /// The path or interface name as given.
    [[nodiscard]] const std::string& source() const;

    /// Opens `path` for -w: a classic pcap with this capture's link type, snaplen and
    /// timestamp precision (nanoseconds for files). "-" writes to stdout. Refuses the input
    /// file itself, any of `also_read` (the files read with this one) and a symbolic link
    /// (open_output_file()). Errors: Usage, Io.
    [[nodiscard]] Result<bool> open_dump(const std::string& path, std::span<const FileIdentity> also_read = {});
    /// Appends `frame` (as returned by next()) to the dump file; no-op without open_dump().
    void dump(const RawFrame& frame);
    /// Flushes and closes the dump file (the destructor does this too).
    void close_dump();

    /// Which file is read (a file or stdin); nullopt for live captures. Output files must
    /// not be it (output_file.hpp).
    [[nodiscard]] std::optional<FileIdentity> input_identity() const;

    /// -Z: whether `user` exists. Error: Usage.
    [[nodiscard]] static Result<bool> known_user(const std::string& user);
    /// For -Z: switches the process to `user` (initgroups, setgid, setuid, then checks that
    /// every id changed and that setuid(0) now fails), as tcpdump does once the input is
    /// open. Not root: succeeds only when already that user. Errors: Usage (unknown user),
    /// Permission.
    [[nodiscard]] static Result<bool> drop_privileges(const std::string& user);

private:
    struct Impl;
    explicit PcapReader(std::unique_ptr<Impl> impl);
    [[nodiscard]] static Result<PcapReader> open_stream(std::unique_ptr<Impl> impl, std::FILE* fp,
                                                        const std::string& what);
    [[nodiscard]] static Result<PcapReader> open_pcapng(std::unique_ptr<Impl> impl, const std::string& path);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tfx::ingest
