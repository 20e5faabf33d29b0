// PcapngReader: a bounded, bounds-checked pcapng block reader (pcapng spec,
// draft-ietf-opsawg-pcapng). Every field is read through load16/load32/load64 with an explicit
// range check against the block held in `buf`, so a lying length can only end the read,
// never read past the buffer. Nothing is allocated per packet: the block buffer is reused and
// grows at most to the largest block, itself capped by kMaxBlockLength and the file size.

#include "ingest/pcapng_reader.hpp"

#include <sys/stat.h>
#include <sys/types.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "i18n/messages.hpp"

namespace tfx::ingest {
namespace {

constexpr std::uint32_t kShb = 0x0a0d0d0a;
constexpr std::uint32_t kIdb = 0x00000001;
constexpr std::uint32_t kPb = 0x00000002;  // obsolete Packet Block
constexpr std::uint32_t kSpb = 0x00000003;
constexpr std::uint32_t kEpb = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1a2b3c4d;

constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptTsresol = 9;
constexpr std::uint16_t kOptTsoffset = 14;

// Fixed sizes: header (type, length) + trailer (length) = 12; SHB body 16; IDB body 8;
// EPB and PB bodies 20; SPB body 4.
constexpr std::uint32_t kMinShb = 28;
constexpr std::uint32_t kMinIdb = 20;
constexpr std::uint32_t kMinEpb = 32;
constexpr std::uint32_t kMinSpb = 16;
// A packet block's body is read up to its fixed fields (28 bytes for an EPB or PB, 12 for an
// SPB) and the largest packet kept (PcapngReader::kMaxCaplen); the rest of a longer block,
// options included (none is read), is seeked over, so a 64 MiB block costs no memory.
constexpr std::uint32_t kMaxPacketBodyRead = 28 + PcapngReader::kMaxCaplen;

// Stdio buffer: big enough that a run of small blocks costs one read(2).
constexpr std::size_t kStdioBuffer = 256 * 1024;

std::uint32_t bswap32(std::uint32_t v) {
    return ((v & 0xffU) << 24) | ((v & 0xff00U) << 8) | ((v >> 8) & 0xff00U) | (v >> 24);
}

// Bounds-checked loads from a block; out of range reads as 0 (callers check ranges first,
// this is the second fence).
std::uint8_t load8(std::span<const std::byte> b, std::size_t off) {
    return off < b.size() ? static_cast<std::uint8_t>(b[off]) : 0;
}
std::uint16_t load16(std::span<const std::byte> b, std::size_t off, bool be) {
    if (off > b.size() || b.size() - off < 2) return 0;
    const std::uint16_t x = load8(b, off);
    const std::uint16_t y = load8(b, off + 1);
    return static_cast<std::uint16_t>(be ? (x << 8) | y : (y << 8) | x);
}
std::uint32_t load32(std::span<const std::byte> b, std::size_t off, bool be) {
    if (off > b.size() || b.size() - off < 4) return 0;
    const std::uint32_t hi = load16(b, be ? off : off + 2, be);
    const std::uint32_t lo = load16(b, be ? off + 2 : off, be);
    return (hi << 16) | lo;
}
std::uint64_t load64(std::span<const std::byte> b, std::size_t off, bool be) {
    const std::uint64_t first = load32(b, off, be);
    const std::uint64_t second = load32(b, off + 4, be);
    return be ? (first << 32) | second : (second << 32) | first;
}

std::string hex32(std::uint32_t v) {
    std::array<char, 16> s{};
    std::snprintf(s.data(), s.size(), "0x%08x", v);
    return s.data();
}

// Walks the options in [from, to) of a block: code(2) length(2) value padded to 4 bytes.
// Calls f(code, value offset, length) for each; false when an option runs past the end.
template <typename F>
bool walk_options(std::span<const std::byte> block, std::size_t from, std::size_t to, bool be, F&& f) {
    std::size_t o = from;
    while (o + 4 <= to) {
        const std::uint16_t code = load16(block, o, be);
        const std::uint16_t len = load16(block, o + 2, be);
        if (code == kOptEnd) return true;
        if (len > to - o - 4) return false;
        f(code, o + 4, std::size_t{len});
        o += 4 + ((std::size_t{len} + 3U) & ~std::size_t{3});
    }
    return true;
}

enum class Step : std::uint8_t { Block, End, Damaged };

__extension__ using Int128 = __int128;

constexpr std::array<std::int64_t, 19> kPow10 = {1LL,
                                                 10LL,
                                                 100LL,
                                                 1'000LL,
                                                 10'000LL,
                                                 100'000LL,
                                                 1'000'000LL,
                                                 10'000'000LL,
                                                 100'000'000LL,
                                                 1'000'000'000LL,
                                                 10'000'000'000LL,
                                                 100'000'000'000LL,
                                                 1'000'000'000'000LL,
                                                 10'000'000'000'000LL,
                                                 100'000'000'000'000LL,
                                                 1'000'000'000'000'000LL,
                                                 10'000'000'000'000'000LL,
                                                 100'000'000'000'000'000LL,
                                                 1'000'000'000'000'000'000LL};

}  // namespace

Timestamp pcapng_timestamp(std::uint64_t count, std::uint8_t tsresol, std::int64_t tsoffset_s) {
    // C++20: the conversion is modular, so a count with its top bit set is a negative time.
    const auto c = static_cast<std::int64_t>(count);
    Int128 ns = 0;
    if ((tsresol & 0x80U) == 0) {
        const unsigned k = tsresol;
        if (k <= 9)
            ns = Int128{c} * kPow10[9 - k];
        else if (k - 9 < kPow10.size())
            ns = Int128{c} / kPow10[k - 9];
    } else {
        // 2^-k seconds: c * 10^9 / 2^k, flooring (arithmetic shift), k <= 127.
        ns = (Int128{c} * 1'000'000'000) >> (tsresol & 0x7fU);
    }
    ns += Int128{tsoffset_s} * 1'000'000'000;
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    if (ns > kMax) return Timestamp{kMax};
    if (ns < kMin) return Timestamp{kMin};
    return Timestamp{static_cast<std::int64_t>(ns)};
}

struct PcapngReader::Impl {
    std::FILE* fp = nullptr;
    std::string what;
    std::uint64_t file_size = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t pos = 0;                    // offset of the next block
    bool be = false;                          // byte order of the current section
    std::vector<PcapngInterface> interfaces;  // of the current section
    std::vector<std::byte> buf;               // the current block, header and trailer included
    std::uint32_t block_type = 0;
    std::uint64_t block_offset = 0;
    std::uint32_t block_len = 0;  // its length in the file (buf may hold less)
    std::vector<int> link_types;
    std::bitset<65536> link_type_seen;  // IDB link types are 16 bits
    PcapngInterface first{};
    bool has_first = false;
    Timestamp last_ts{};
    bool finished = false;
    ReadStatus final_status = ReadStatus::End;
    std::optional<Error> final_problem;  // why reading stopped early; names the file

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl() {
        if (fp != nullptr) std::fclose(fp);
    }

    [[nodiscard]] std::span<const std::byte> block() const { return buf; }
    // What is wrong with the block at `off`: catalogue message `id`, whose first parameter is
    // that offset and the others `values`.
    [[nodiscard]] static Error damage(std::uint64_t off, i18n::Msg id, std::vector<std::string> values = {}) {
        values.insert(values.begin(), std::to_string(off));
        return Error{ErrorKind::NotACapture, id, std::move(values)};
    }

    void refresh_size() {
        struct stat st {};
        if (::fstat(::fileno(fp), &st) == 0 && S_ISREG(st.st_mode)) file_size = static_cast<std::uint64_t>(st.st_size);
    }

    bool read_exact(void* dst, std::size_t n) { return std::fread(dst, 1, n, fp) == n; }

    // Reads the block at `pos`. With `want_body` false (packet blocks while scanning, every
    // block we skip) only its header and trailer are read; the body is seeked over.
    Step read_block(std::optional<Error>& problem, bool scanning);
    // Parses the SHB in `buf`; false with the problem when it is unusable.
    bool section_header(std::optional<Error>& problem);
    // Parses the IDB in `buf` into `out`; false with the problem when it is damaged.
    bool interface_description(PcapngInterface& out, std::optional<Error>& problem) const;
    void note_interface(const PcapngInterface& i) {
        if (!has_first) {
            first = i;
            has_first = true;
        }
        // Tens of thousands of IDBs cost one bit test each, not a search of the list.
        const auto t = static_cast<std::size_t>(i.link_type) & 0xffffU;
        if (!link_type_seen.test(t)) {
            link_type_seen.set(t);
            link_types.push_back(i.link_type);
        }
    }
    // Fills `out` from the packet block in `buf`; false with the problem when it is damaged.
    bool packet(PcapngPacket& out, std::optional<Error>& problem);
    void scan();
};

Step PcapngReader::Impl::read_block(std::optional<Error>& problem, bool scanning) {
    const std::uint64_t off = pos;
    std::array<std::byte, 12> head{};
    const std::size_t got = std::fread(head.data(), 1, 8, fp);
    if (got == 0 && std::feof(fp) != 0) return Step::End;
    if (got < 8) {
        problem = std::ferror(fp) != 0 ? damage(off, i18n::Msg::PcapngReadError, {std::strerror(errno)})
                                       : damage(off, i18n::Msg::PcapngEndsInBlockHeader);
        return Step::Damaged;
    }
    // The SHB type reads the same in both byte orders; its byte-order magic sets the order.
    bool block_be = be;
    const std::uint32_t raw_type = load32(head, 0, false);
    std::size_t have = 8;
    if (raw_type == kShb) {
        if (!read_exact(head.data() + 8, 4)) {
            problem = damage(off, i18n::Msg::PcapngEndsInSectionHeader);
            return Step::Damaged;
        }
        have = 12;
        const std::uint32_t bom = load32(head, 8, false);
        if (bom == kByteOrderMagic) {
            block_be = false;
        } else if (bswap32(bom) == kByteOrderMagic) {
            block_be = true;
        } else {
            problem = damage(off, i18n::Msg::PcapngBadByteOrderMagic, {hex32(bom)});
            return Step::Damaged;
        }
    }
    const std::uint32_t type = load32(head, 0, block_be);
    const std::uint32_t len = load32(head, 4, block_be);
    const std::uint32_t min_len = type == kShb ? kMinShb : 12;
    if (len < min_len || len % 4 != 0 || len > kMaxBlockLength) {
        problem = damage(off, i18n::Msg::PcapngBadBlockLength, {hex32(type), std::to_string(len)});
        return Step::Damaged;
    }
    if (len > file_size - std::min(file_size, off)) refresh_size();  // the file may have grown
    if (len > file_size - std::min(file_size, off)) {
        problem = damage(off, i18n::Msg::PcapngEndsInLongBlock, {hex32(type), std::to_string(len)});
        return Step::Damaged;
    }
    const bool packet_block = type == kEpb || type == kSpb || type == kPb;
    const bool want_body = type == kShb || type == kIdb || (packet_block && !scanning);
    std::array<std::byte, 4> trailer_bytes{};
    std::span<const std::byte> trailer;
    // A packet block longer than what is kept: read its start, seek to its trailer.
    const std::uint32_t body = packet_block ? std::min(len, kMaxPacketBodyRead) : len;
    if (want_body) {
        buf.resize(body);
        std::copy_n(head.begin(), have, buf.begin());
        if (!read_exact(buf.data() + have, body - have)) {
            problem = damage(off, i18n::Msg::PcapngEndsInBlock);
            return Step::Damaged;
        }
    }
    if (want_body && body == len) {
        trailer = std::span<const std::byte>(buf).subspan(len - 4);
    } else {
        if (::fseeko(fp, static_cast<off_t>(off + len - 4), SEEK_SET) != 0 || !read_exact(trailer_bytes.data(), 4)) {
            problem = damage(off, i18n::Msg::PcapngEndsInBlock);
            return Step::Damaged;
        }
        trailer = trailer_bytes;
        if (!want_body) buf.clear();
    }
    if (load32(trailer, 0, block_be) != len) {
        problem = damage(off, i18n::Msg::PcapngTrailerDiffers, {hex32(type)});
        return Step::Damaged;
    }
    block_type = type;
    block_offset = off;
    block_len = len;
    pos = off + len;
    if (type == kShb) be = block_be;
    return Step::Block;
}

bool PcapngReader::Impl::section_header(std::optional<Error>& problem) {
    const auto b = block();
    const std::uint16_t major = load16(b, 12, be);
    const std::uint16_t minor = load16(b, 14, be);
    // pcapng 1.0 is the only version written; libpcap also reads 1.2 (an old writer's bug).
    if (major != 1) {
        problem =
            damage(block_offset, i18n::Msg::PcapngUnsupportedVersion, {std::to_string(major), std::to_string(minor)});
        return false;
    }
    if (!walk_options(b, 24, b.size() - 4, be, [](std::uint16_t, std::size_t, std::size_t) {})) {
        problem = damage(block_offset, i18n::Msg::PcapngSectionOptionOverrun);
        return false;
    }
    interfaces.clear();
    return true;
}

bool PcapngReader::Impl::interface_description(PcapngInterface& out, std::optional<Error>& problem) const {
    const auto b = block();
    if (b.size() < kMinIdb) {
        problem = damage(block_offset, i18n::Msg::PcapngInterfaceTooShort, {std::to_string(kMinIdb)});
        return false;
    }
    out.link_type = load16(b, 8, be);
    out.snaplen = load32(b, 12, be);
    const bool ok = walk_options(b, 16, b.size() - 4, be, [&](std::uint16_t code, std::size_t at, std::size_t len) {
        if (code == kOptTsresol && len >= 1) out.tsresol = load8(b, at);
        if (code == kOptTsoffset && len >= 8) out.tsoffset_s = static_cast<std::int64_t>(load64(b, at, be));
    });
    if (!ok) {
        problem = damage(block_offset, i18n::Msg::PcapngInterfaceOptionOverrun);
        return false;
    }
    if (interfaces.size() >= kMaxInterfaces) {
        problem = damage(block_offset, i18n::Msg::PcapngTooManyInterfaces, {std::to_string(kMaxInterfaces)});
        return false;
    }
    return true;
}

bool PcapngReader::Impl::packet(PcapngPacket& out, std::optional<Error>& problem) {
    const auto b = block();
    const std::size_t len = block_len;
    std::uint32_t iface = 0;
    std::uint64_t count = 0;
    std::uint32_t caplen = 0;
    std::uint32_t wirelen = 0;
    std::size_t data_off = 0;
    bool has_ts = true;
    if (block_type == kSpb) {
        if (len < kMinSpb) {
            problem = damage(block_offset, i18n::Msg::PcapngSimplePacketTooShort, {std::to_string(kMinSpb)});
            return false;
        }
        wirelen = load32(b, 8, be);
        data_off = 12;
        // No captured length: the block holds min(wire length, interface snaplen) bytes.
        caplen = static_cast<std::uint32_t>(std::min<std::size_t>(wirelen, len - kMinSpb));
        has_ts = false;
    } else {
        if (len < kMinEpb) {
            problem = damage(block_offset, i18n::Msg::PcapngPacketTooShort, {std::to_string(kMinEpb)});
            return false;
        }
        iface = block_type == kEpb ? load32(b, 8, be) : load16(b, 8, be);
        count = (std::uint64_t{load32(b, 12, be)} << 32) | load32(b, 16, be);
        caplen = load32(b, 20, be);
        wirelen = load32(b, 24, be);
        data_off = 28;
        if (caplen > len - kMinEpb) {
            problem = damage(block_offset, i18n::Msg::PcapngCaplenPastBlock, {std::to_string(caplen)});
            return false;
        }
    }
    if (iface >= interfaces.size()) {
        problem = damage(block_offset, i18n::Msg::PcapngUnknownInterface,
                         {std::to_string(iface), std::to_string(interfaces.size())});
        return false;
    }
    const PcapngInterface& i = interfaces[iface];
    if (block_type == kSpb && i.snaplen != 0) caplen = std::min(caplen, i.snaplen);
    // As libpcap, which truncates a record to the snapshot length it reads with: at most the
    // interface's snaplen, and never more than libpcap's own maximum (a reader of what -w
    // writes refuses longer records). The bytes past the cap are not analysed: the frame
    // reads as cut by the snaplen, its wire length kept.
    const std::uint32_t cap = i.snaplen != 0 && i.snaplen < kMaxCaplen ? i.snaplen : kMaxCaplen;
    caplen = std::min(caplen, cap);
    // A simple packet block carries no time: keep the last one, so that the stream's clock
    // neither jumps to 1970 nor backwards (tshark shows no time at all).
    out.ts = has_ts ? pcapng_timestamp(count, i.tsresol, i.tsoffset_s) : last_ts;
    last_ts = out.ts;
    out.link_type = i.link_type;
    out.interface_id = iface;
    out.snaplen = i.snaplen;
    out.caplen = caplen;
    out.wirelen = wirelen;
    out.data = b.subspan(data_off, caplen);
    return true;
}

// One pass over the file, reading only SHB and IDB bodies, to learn every link type before
// the first packet is analysed (an IDB may come after packets, or in a later section).
void PcapngReader::Impl::scan() {
    std::optional<Error> ignored;
    std::size_t in_section = 0;
    for (;;) {
        if (read_block(ignored, true) != Step::Block) return;
        if (block_type == kShb) {
            if (load16(block(), 12, be) != 1) return;
            in_section = 0;
        } else if (block_type == kIdb) {
            PcapngInterface i;
            if (in_section >= kMaxInterfaces || !interface_description(i, ignored)) return;
            ++in_section;
            note_interface(i);
        }
    }
}

PcapngReader::PcapngReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PcapngReader::PcapngReader(PcapngReader&&) noexcept = default;
PcapngReader& PcapngReader::operator=(PcapngReader&&) noexcept = default;
PcapngReader::~PcapngReader() = default;

Result<PcapngReader> PcapngReader::open(std::FILE* fp, const std::string& what) {
    auto impl = std::make_unique<Impl>();
    impl->fp = fp;
    impl->what = what;
    if (fp == nullptr) return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpenPlain, {what}};
    // Fresh stream, nothing read yet: a bigger buffer is still allowed.
    (void)std::setvbuf(fp, nullptr, _IOFBF, kStdioBuffer);
    impl->refresh_size();
    std::optional<Error> problem;
    const auto fail = [&what](const Error& why) {
        return Error{ErrorKind::NotACapture, i18n::Msg::ErrUnreadableCapture, {what, "pcapng"}, why};
    };
    const Step first = impl->read_block(problem, false);
    if (first == Step::End) return Error{ErrorKind::NotACapture, i18n::Msg::ErrPcapngEmpty, {what}};
    if (first == Step::Damaged) return fail(*problem);
    if (impl->block_type != kShb) return Error{ErrorKind::NotACapture, i18n::Msg::ErrPcapngNoSectionHeader, {what}};
    if (!impl->section_header(problem)) return fail(*problem);
    const std::uint64_t after_shb = impl->pos;
    const bool section_be = impl->be;

    impl->scan();
    if (::fseeko(fp, static_cast<off_t>(after_shb), SEEK_SET) != 0)
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotRead, {what, std::strerror(errno)}};
    std::clearerr(fp);
    impl->pos = after_shb;
    impl->be = section_be;
    impl->interfaces.clear();
    impl->buf.clear();
    return PcapngReader{std::move(impl)};
}

ReadStatus PcapngReader::next(PcapngPacket& out, std::string& message) {
    Impl& m = *impl_;
    if (m.finished) {
        message = m.final_problem ? m.final_problem->message : std::string{};
        return m.final_status;
    }
    const auto stop = [&m, &message](ReadStatus status, const std::optional<Error>& why) {
        m.finished = true;
        m.final_status = status;
        if (why) m.final_problem = Error{ErrorKind::NotACapture, i18n::Msg::ReadStoppedIn, {m.what}, *why};
        message = m.final_problem ? m.final_problem->message : std::string{};
        m.buf.clear();
        m.buf.shrink_to_fit();
        return status;
    };
    for (;;) {
        std::optional<Error> why;
        switch (m.read_block(why, false)) {
            case Step::End: return stop(ReadStatus::End, {});
            case Step::Damaged: return stop(ReadStatus::Truncated, why);
            case Step::Block: break;
        }
        switch (m.block_type) {
            case kShb:
                if (!m.section_header(why)) return stop(ReadStatus::Truncated, why);
                break;
            case kIdb: {
                PcapngInterface i;
                if (!m.interface_description(i, why)) return stop(ReadStatus::Truncated, why);
                m.interfaces.push_back(i);
                m.note_interface(i);  // already known from the scan, unless the file grew
                break;
            }
            case kEpb:
            case kSpb:
            case kPb:
                if (!m.packet(out, why)) return stop(ReadStatus::Truncated, why);
                return ReadStatus::Frame;
            default: break;  // NRB, ISB, DSB, custom, unknown: framing checked, content skipped
        }
    }
}

const std::optional<Error>& PcapngReader::problem() const { return impl_->final_problem; }
const std::vector<int>& PcapngReader::link_types() const { return impl_->link_types; }
const PcapngInterface& PcapngReader::first_interface() const { return impl_->first; }
bool PcapngReader::has_interfaces() const { return impl_->has_first; }

}  // namespace tfx::ingest
