#pragma once
// Module note: ingest / classic pcap files
//   Purpose: read classic pcap regular files from a read-only private mapping instead of
//   through libpcap, which reads offline files 4 KiB at a time and copies every record into
//   its buffer (about 9 % of a --summary run went to read(2)).
//   Input: the path of a regular file. Output: RawFrame, one at a time, its bytes pointing
//   into the mapping: valid as long as the reader lives, not only until the next call.
//   Reads: what libpcap 1.10's sf-pcap.c reads, with its results and its message texts:
//   the magics 0xa1b2c3d4 (usec), 0xa1b23c4d (nsec) and 0xa1b2cd34 (Kuznetzov's 24-byte
//   record headers) in either byte order; versions 2.0 to 2.4 and DG/UX's 543.0 (caplen and
//   wire length in the pre-2.3 order; 2.3 swapped only when caplen > wire length); the
//   link-type field masked to its low 26 bits (the top 6 hold FCS information) and mapped
//   from LINKTYPE_* to DLT_*; the snaplen adjusted as pcap_adjust_snapshot does; records
//   longer than the snaplen cut to it; records longer than the link type's maximum, and a
//   file ending inside a record, end the read.
//   Errors: a damaged header fails open() (NotACapture, "... is not a readable pcap capture:
//   <libpcap's text>"); damage in the records reads as ReadStatus::Truncated after the good
//   frames, with libpcap's message for it, then End.
//   Non-goals: pipes and stdin (nothing to map), files that grow or shrink while read (the
//   size is taken at open; a shrinking file can fault), swapping the pseudo-headers libpcap
//   byte-swaps for some link types in files of the other byte order (PcapReader leaves those
//   files to libpcap: see needs_pseudo_header_swap), writing.
//   Does not include <pcap.h>.

#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/read_status.hpp"
#include "tfx/analyze.hpp"
#include "tfx/result.hpp"

namespace tfx::ingest {

class ClassicPcapReader {
public:
    /// Maps `path` (a regular file) and checks its header. `what` names the file in
    /// messages ("'x.pcap'"). Errors: CannotOpen (open or fstat fails, not a regular file),
    /// Io (mmap fails), NotACapture (empty, bad magic, header cut short, archaic or unknown
    /// version: the same texts as libpcap's).
    [[nodiscard]] static Result<ClassicPcapReader> open(const std::string& path,
                                                        const std::string& what);

    ClassicPcapReader(ClassicPcapReader&& other) noexcept;
    ClassicPcapReader& operator=(ClassicPcapReader&& other) noexcept;
    ClassicPcapReader(const ClassicPcapReader&) = delete;
    ClassicPcapReader& operator=(const ClassicPcapReader&) = delete;
    ~ClassicPcapReader();

    /// Frame (index = the record's number in the file, from 1), End at the end of the file,
    /// or Truncated with libpcap's message (a record cut by the end of the file, a caplen
    /// beyond the link type's maximum); End on every call after that.
    [[nodiscard]] ReadStatus next(RawFrame& out, std::string& message);

    /// The DLT_* value, as pcap_datalink() reports it (reserved bits above 0xffff kept).
    [[nodiscard]] int link_type() const { return link_type_; }
    /// As pcap_snapshot() reports it: never 0.
    [[nodiscard]] std::uint32_t snaplen() const { return snaplen_; }
    [[nodiscard]] bool nanosecond_file() const { return nanosecond_; }
    /// The file was written in the other byte order.
    [[nodiscard]] bool byte_swapped() const { return swapped_; }

    /// libpcap 1.10 rewrites the pseudo-header of these link types (PFLOG, Linux SLL/SLL2
    /// CAN ids, USB, NFLOG TLVs) into host order when the file is byte-swapped; frames read
    /// from a mapping cannot be rewritten, so such files belong to libpcap.
    [[nodiscard]] static bool needs_pseudo_header_swap(int link_type);

private:
    enum class LengthOrder : std::uint8_t { AsWritten, Swapped, SwappedIfCaplenExceedsLen };

    ClassicPcapReader() = default;
    void unmap() noexcept;
    void release_behind(std::size_t upto) noexcept;
    [[nodiscard]] std::uint32_t field(std::size_t off) const;

    const std::byte* base_ = nullptr;
    std::size_t size_ = 0;
    std::size_t pos_ = 0;          // offset of the next record header
    std::size_t released_ = 0;     // pages before this offset were handed back (MADV_DONTNEED)
    std::size_t record_header_ = 16;
    std::uint32_t snaplen_ = 0;
    std::uint32_t max_caplen_ = 0;
    int link_type_ = 0;
    FrameIndex records_ = 0;
    LengthOrder lengths_ = LengthOrder::AsWritten;
    bool swapped_ = false;
    bool nanosecond_ = false;
    bool finished_ = false;
};

}  // namespace tfx::ingest
