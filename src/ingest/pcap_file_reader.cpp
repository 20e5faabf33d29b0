// ClassicPcapReader: classic pcap records read in large blocks. Every
// decision below mirrors libpcap 1.10's sf-pcap.c (pcap_check_header, pcap_next_packet) and
// pcap-common.c, because PcapReader switches between this reader and libpcap by file type
// and the output must not depend on which one read the file; pcap_file_reader_test compares
// the two frame by frame. Every read is checked against the file's size first.

#include "ingest/pcap_file_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <span>
#include <utility>

#include "i18n/messages.hpp"
#include "ingest/link_type_map.hpp"

namespace tfx::ingest {
namespace {

constexpr std::uint32_t kMagicUsec = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNsec = 0xa1b23c4d;
constexpr std::uint32_t kMagicKuznetzov = 0xa1b2cd34;

constexpr std::size_t kFileHeader = 24;
constexpr std::size_t kRecordHeader = 16;
constexpr std::size_t kKuznetzovRecordHeader = 24;  // + ifindex, protocol, pkt_type, padding

constexpr std::uint32_t kLinkTypeMask = 0x03ffffff;  // LT_LINKTYPE(): the top 6 bits are FCS info
constexpr int kDltEthernet = 1;
constexpr std::int64_t kNsPerSec = 1'000'000'000;

// Bytes read per read(2): few system calls (a 383 MB file in ~370) in a buffer that stays
// small beside the flow table. A record larger than this grows the buffer to fit it.
constexpr std::size_t kBlock = std::size_t{1} << 20;

std::uint32_t bswap32(std::uint32_t v) { return __builtin_bswap32(v); }

std::uint32_t load32_host(const std::byte* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

std::uint16_t load16_host(const std::byte* p) {
    std::uint16_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// max_snaplen_for_dlt(): the largest record libpcap accepts for a link type.
std::uint32_t max_caplen_for(int dlt) {
    switch (dlt) {
        case 231: return 128U * 1024 * 1024;  // DLT_DBUS
        case 279: return 8U * 1024 * 1024;    // DLT_EBHSCR
        case 249: return 1024U * 1024;        // DLT_USBPCAP
        default: return kLibpcapMaxSnaplen;
    }
}

// `detail` is worded as libpcap words the same refusal, and stays in its words.
// "WHAT is not a readable pcap capture: " and why, in libpcap's words.
Error not_readable(const std::string& what, i18n::Msg why, std::vector<std::string> values = {}) {
    return Error{ErrorKind::NotACapture,
                 i18n::Msg::ErrUnreadableCapture,
                 {what, "pcap"},
                 Error{ErrorKind::NotACapture, why, std::move(values)}};
}

}  // namespace

bool ClassicPcapReader::needs_pseudo_header_swap(int link_type) {
    switch (link_type) {
        case 117:  // DLT_PFLOG
        case 113:  // DLT_LINUX_SLL
        case 276:  // DLT_LINUX_SLL2
        case 189:  // DLT_USB_LINUX
        case 220:  // DLT_USB_LINUX_MMAPPED
        case 239:  // DLT_NFLOG
            return true;
        default: return false;
    }
}

ClassicPcapReader::ClassicPcapReader(ClassicPcapReader&& other) noexcept { *this = std::move(other); }

ClassicPcapReader& ClassicPcapReader::operator=(ClassicPcapReader&& other) noexcept {
    if (this == &other) return *this;
    close_file();
    fd_ = std::exchange(other.fd_, -1);
    size_ = std::exchange(other.size_, 0);
    pos_ = other.pos_;
    buffer_ = std::move(other.buffer_);
    buffer_offset_ = other.buffer_offset_;
    buffered_ = std::exchange(other.buffered_, 0);
    record_header_ = other.record_header_;
    snaplen_ = other.snaplen_;
    max_caplen_ = other.max_caplen_;
    link_type_ = other.link_type_;
    records_ = other.records_;
    lengths_ = other.lengths_;
    swapped_ = other.swapped_;
    nanosecond_ = other.nanosecond_;
    finished_ = other.finished_;
    return *this;
}

ClassicPcapReader::~ClassicPcapReader() { close_file(); }

void ClassicPcapReader::close_file() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool ClassicPcapReader::load(std::size_t offset, std::size_t n, std::string& error) {
    const std::size_t left = offset < size_ ? size_ - offset : 0;
    n = std::min(n, left);
    if (offset >= buffer_offset_ && offset + n <= buffer_offset_ + buffered_) return true;
    // Keep the bytes from `offset` on that are already here, at the front; read after them.
    std::size_t kept = 0;
    if (offset >= buffer_offset_ && offset < buffer_offset_ + buffered_) {
        kept = buffer_offset_ + buffered_ - offset;
        std::memmove(buffer_.data(), buffer_.data() + (offset - buffer_offset_), kept);
    }
    buffer_offset_ = offset;
    buffered_ = kept;
    const std::size_t want = std::min(std::max(n, kBlock), left);
    if (buffer_.size() < want) buffer_.resize(want);
    while (buffered_ < want) {
        const ssize_t got =
            ::pread(fd_, buffer_.data() + buffered_, want - buffered_, static_cast<off_t>(buffer_offset_ + buffered_));
        if (got < 0) {
            if (errno == EINTR) continue;
            error = std::strerror(errno);
            return false;
        }
        if (got == 0) {  // the file shrank since it was opened: it ends here now
            size_ = buffer_offset_ + buffered_;
            break;
        }
        buffered_ += static_cast<std::size_t>(got);
    }
    return true;
}

std::uint32_t ClassicPcapReader::field(std::size_t off) const {
    const std::uint32_t v = load32_host(at(off));
    return swapped_ ? bswap32(v) : v;
}

Result<ClassicPcapReader> ClassicPcapReader::open(const std::string& path, const std::string& what) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {what, std::strerror(errno)}};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {what, std::strerror(err)}};
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrNotRegularDirect, {what}};
    }
    if (st.st_size <= 0) {
        ::close(fd);
        return Error{ErrorKind::NotACapture, i18n::Msg::ErrEmptyPcap, {what}};
    }
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // advice only: more read-ahead
    ClassicPcapReader r;
    r.fd_ = fd;
    r.size_ = static_cast<std::size_t>(st.st_size);
    std::string error;
    if (!r.load(0, kFileHeader, error)) return Error{ErrorKind::Io, i18n::Msg::ErrCannotRead, {what, error}};
    const std::size_t size = r.size_;  // less than fstat said if the file shrank meanwhile
    const std::byte* const header = r.at(0);

    // pcap_check_header(): the magic in either byte order, then the rest of the header.
    const std::uint32_t raw_magic = size >= 4 ? load32_host(header) : 0;
    std::uint32_t magic = raw_magic;
    if (magic != kMagicUsec && magic != kMagicNsec && magic != kMagicKuznetzov) {
        magic = bswap32(raw_magic);
        if (magic != kMagicUsec && magic != kMagicNsec && magic != kMagicKuznetzov)
            return Error{ErrorKind::NotACapture, i18n::Msg::ErrBadMagicPcap, {what}};
        r.swapped_ = true;
    }
    if (size < kFileHeader)
        return not_readable(what, i18n::Msg::PcapTruncatedFileHeader,
                            {std::to_string(kFileHeader), std::to_string(size - 4)});
    const std::uint16_t major = r.swapped_ ? __builtin_bswap16(load16_host(header + 4)) : load16_host(header + 4);
    const std::uint16_t minor = r.swapped_ ? __builtin_bswap16(load16_host(header + 6)) : load16_host(header + 6);
    if (major < 2) return not_readable(what, i18n::Msg::PcapArchaicFormat);
    if (!((major == 2 && minor <= 4) || (major == 543 && minor == 0)))
        return not_readable(what, i18n::Msg::PcapUnsupportedVersion, {std::to_string(major), std::to_string(minor)});

    // Versions before 2.3 and DG/UX's 543.0 wrote the wire length before the caplen; some
    // 2.3 writers did too, so 2.3 is decided per record.
    if (major == 543 || minor < 3)
        r.lengths_ = LengthOrder::Swapped;
    else if (minor == 3)
        r.lengths_ = LengthOrder::SwappedIfCaplenExceedsLen;

    r.link_type_ = dlt_from_linktype(static_cast<int>(r.field(20) & kLinkTypeMask));
    r.max_caplen_ = max_caplen_for(r.link_type_);
    // pcap_adjust_snapshot(): 0, or too big for libpcap's int, reads as the maximum.
    const std::uint32_t snap = r.field(16);
    r.snaplen_ = snap == 0 || snap > static_cast<std::uint32_t>(INT_MAX) ? r.max_caplen_ : snap;
    r.nanosecond_ = magic == kMagicNsec;
    r.record_header_ = magic == kMagicKuznetzov ? kKuznetzovRecordHeader : kRecordHeader;
    if (magic == kMagicKuznetzov) {
        // libpcap assumes a cooked-mode capture, whose records carry a made-up 14-byte
        // Ethernet header beyond the snaplen.
        if (r.link_type_ == kDltEthernet)
            r.snaplen_ = r.snaplen_ <= static_cast<std::uint32_t>(INT_MAX) - 14 ? r.snaplen_ + 14 : INT_MAX;
    }
    r.pos_ = kFileHeader;
    return r;
}

ReadStatus ClassicPcapReader::stop(ReadStatus status, i18n::Msg id, std::vector<std::string> values,
                                   std::string& message) {
    problem_ = Error{status == ReadStatus::Error ? ErrorKind::Io : ErrorKind::NotACapture, id, std::move(values)};
    message = problem_->message;
    return status;
}

ReadStatus ClassicPcapReader::next(RawFrame& out, std::string& message) {
    if (finished_ || fd_ < 0) return ReadStatus::End;
    finished_ = true;  // until this record proves whole
    if (!load(pos_, record_header_, message))
        return stop(ReadStatus::Error, i18n::Msg::PcapReadFailed, {message}, message);
    const std::size_t left = size_ - pos_;
    if (left == 0) return ReadStatus::End;
    if (left < record_header_)
        return stop(ReadStatus::Truncated, i18n::Msg::PcapTruncatedRecordHeader,
                    {std::to_string(record_header_), std::to_string(left)}, message);
    const std::uint32_t sec = field(pos_);
    const std::uint32_t frac = field(pos_ + 4);
    std::uint32_t caplen = field(pos_ + 8);
    std::uint32_t wirelen = field(pos_ + 12);
    if (lengths_ == LengthOrder::Swapped || (lengths_ == LengthOrder::SwappedIfCaplenExceedsLen && caplen > wirelen))
        std::swap(caplen, wirelen);

    if (caplen > max_caplen_) {
        if (caplen > snaplen_)
            return stop(ReadStatus::Truncated, i18n::Msg::PcapCaplenOverSnaplen,
                        {std::to_string(caplen), std::to_string(snaplen_)}, message);
        return stop(ReadStatus::Truncated, i18n::Msg::PcapCaplenOverMaximum,
                    {std::to_string(caplen), std::to_string(max_caplen_)}, message);
    }
    const std::size_t body = pos_ + record_header_;
    // libpcap keeps the first snaplen bytes of a longer record and skips the rest.
    const std::uint32_t kept = caplen > snaplen_ ? snaplen_ : caplen;
    if (!load(body, kept, message)) return stop(ReadStatus::Error, i18n::Msg::PcapReadFailed, {message}, message);
    const std::size_t available = size_ - body;
    if (available < caplen)  // fewer than the kept bytes, or than the skipped rest
        return stop(ReadStatus::Truncated, i18n::Msg::PcapTruncatedRecord,
                    {std::to_string(available < kept ? kept : caplen), std::to_string(available)}, message);

    // As libpcap fills pcap_pkthdr: the 32-bit fields are signed in a file of our byte order
    // (bpf_int32) and unsigned in a swapped one (SWAPLONG yields u_int); with nanosecond
    // precision requested, microseconds are multiplied by 1000, never normalised.
    const std::int64_t s = swapped_ ? std::int64_t{sec} : std::int64_t{static_cast<std::int32_t>(sec)};
    const std::int64_t f = swapped_ ? std::int64_t{frac} : std::int64_t{static_cast<std::int32_t>(frac)};
    out.index = ++records_;
    out.ts = Timestamp{s * kNsPerSec + (nanosecond_ ? f : f * 1000)};
    out.link_type = link_type_;
    out.caplen = kept;
    out.wirelen = wirelen;
    out.data = std::span<const std::byte>(at(body), kept);
    pos_ = body + caplen;
    finished_ = false;
    return ReadStatus::Frame;
}

}  // namespace tfx::ingest
