#pragma once
// Module note: ingest / classic pcap files
//   Purpose: read classic pcap regular files in large blocks instead of through libpcap,
//   which reads offline files 4 KiB at a time and copies every record into its buffer
//   (about 9 % of a --summary run went to read(2)). Blocks, not a mapping: a mapped file
//   that shrinks while it is read kills the process with SIGBUS, where this reports a
//   truncated capture.
//   Input: the path of a regular file. Output: RawFrame, one at a time, its bytes in the
//   reader's block buffer: valid until the next call.
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
//   Files that change while read: the size is taken at open, so what is appended later is
//   not read; a file that shrinks reads as truncated where it now ends.
//   Non-goals: pipes and stdin (PcapReader leaves them to libpcap), swapping the pseudo-headers libpcap
//   byte-swaps for some link types in files of the other byte order (PcapReader leaves those
//   files to libpcap: see needs_pseudo_header_swap), writing.
//   Does not include <pcap.h>.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "i18n/messages.hpp"
#include "ingest/read_status.hpp"
#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx::ingest {

class ClassicPcapReader {
public:
    /// Opens `path` (a regular file) and checks its header. `what` names the file in
    /// messages ("'x.pcap'"). Errors: CannotOpen (open or fstat fails, not a regular file),
    /// Io (reading fails), NotACapture (empty, bad magic, header cut short, archaic or
    /// unknown version: the same texts as libpcap's).
    [[nodiscard]] static Result<ClassicPcapReader> open(const std::string& path, const std::string& what);

    ClassicPcapReader(ClassicPcapReader&& other) noexcept;
    ClassicPcapReader& operator=(ClassicPcapReader&& other) noexcept;
    ClassicPcapReader(const ClassicPcapReader&) = delete;
    ClassicPcapReader& operator=(const ClassicPcapReader&) = delete;
    ~ClassicPcapReader();

    /// Frame (index = the record's number in the file, from 1), End at the end of the file,
    /// Truncated with libpcap's message (a record cut by the end of the file, a caplen
    /// beyond the link type's maximum), or Error when reading fails; End on every call
    /// after that.
    [[nodiscard]] ReadStatus next(RawFrame& out, std::string& message);
    /// Why next() stopped early (Truncated or Error), to be said in any language: its English
    /// is next()'s message. Nothing before that.
    [[nodiscard]] const std::optional<Error>& problem() const { return problem_; }

    /// The DLT_* value, as pcap_datalink() reports it (reserved bits above 0xffff kept).
    [[nodiscard]] int link_type() const { return link_type_; }
    /// As pcap_snapshot() reports it: never 0.
    [[nodiscard]] std::uint32_t snaplen() const { return snaplen_; }
    [[nodiscard]] bool nanosecond_file() const { return nanosecond_; }
    /// The file was written in the other byte order.
    [[nodiscard]] bool byte_swapped() const { return swapped_; }

    /// libpcap 1.10 rewrites the pseudo-header of these link types (PFLOG, Linux SLL/SLL2
    /// CAN ids, USB, NFLOG TLVs) into host order when the file is byte-swapped; this reader
    /// does not, so such files belong to libpcap.
    [[nodiscard]] static bool needs_pseudo_header_swap(int link_type);

private:
    enum class LengthOrder : std::uint8_t { AsWritten, Swapped, SwappedIfCaplenExceedsLen };

    ClassicPcapReader() = default;
    void close_file() noexcept;
    /// Brings the file's bytes [offset, offset + n) into the buffer, n clipped to the file's
    /// size. A read that ends early means the file shrank: size_ becomes where it ended, so
    /// the callers' size checks report the truncation. False (and `error`) when read(2) fails.
    [[nodiscard]] bool load(std::size_t offset, std::size_t n, std::string& error);
    /// The buffered byte at file offset `off` (load() brought it in).
    [[nodiscard]] const std::byte* at(std::size_t off) const { return buffer_.data() + (off - buffer_offset_); }
    [[nodiscard]] std::uint32_t field(std::size_t off) const;
    /// Stops reading with `status` (Truncated or Error) for the catalogue's `id`: the problem,
    /// and `message` in English.
    ReadStatus stop(ReadStatus status, i18n::Msg id, std::vector<std::string> values, std::string& message);

    int fd_ = -1;
    std::size_t size_ = 0;           // the file's size at open (less if it shrank since)
    std::size_t pos_ = 0;            // file offset of the next record header
    std::vector<std::byte> buffer_;  // file bytes [buffer_offset_, buffer_offset_ + buffered_)
    std::size_t buffer_offset_ = 0;
    std::size_t buffered_ = 0;
    std::size_t record_header_ = 16;
    std::uint32_t snaplen_ = 0;
    std::uint32_t max_caplen_ = 0;
    int link_type_ = 0;
    FrameIndex records_ = 0;
    LengthOrder lengths_ = LengthOrder::AsWritten;
    bool swapped_ = false;
    bool nanosecond_ = false;
    bool finished_ = false;
    std::optional<Error> problem_;
};

}  // namespace tfx::ingest
