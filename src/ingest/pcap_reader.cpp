// PcapReader: the only libpcap user. Files are opened through our own FILE* so that the
// first bytes can be inspected first (empty file, bad magic, pcap vs pcapng, the timestamp
// resolution actually stored) and each failure gets one clear message naming the file,
// instead of libpcap's terse "unknown file format".

#include "ingest/pcap_reader.hpp"

#include <grp.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <span>
#include <utility>

#include "i18n/messages.hpp"
#include "ingest/link_type_map.hpp"
#include "ingest/output_file.hpp"
#include "ingest/pcap_file_reader.hpp"
#include "ingest/pcapng_reader.hpp"
#include "text/quoted.hpp"

namespace tfx::ingest {

using text::quoted;

namespace {

constexpr std::uint32_t kPcapMagicUsec = 0xa1b2c3d4;
constexpr std::uint32_t kPcapMagicNsec = 0xa1b23c4d;
constexpr std::uint32_t kPcapMagicModified = 0xa1b2cd34;  // Alexey Kuznetzov's patched format
constexpr std::uint32_t kPcapngShb = 0x0a0d0d0a;

constexpr std::int64_t kNsPerSec = 1'000'000'000;

struct FileFacts {
    bool known = false;
    bool pcapng = false;
    bool nanosecond = false;
};

std::uint32_t load32(std::span<const unsigned char> b, std::size_t off, bool big_endian) {
    if (off + 4 > b.size()) return 0;
    if (big_endian)
        return (std::uint32_t{b[off]} << 24) | (std::uint32_t{b[off + 1]} << 16) | (std::uint32_t{b[off + 2]} << 8) |
               std::uint32_t{b[off + 3]};
    return std::uint32_t{b[off]} | (std::uint32_t{b[off + 1]} << 8) | (std::uint32_t{b[off + 2]} << 16) |
           (std::uint32_t{b[off + 3]} << 24);
}

std::uint32_t bswap32(std::uint32_t v) {
    return ((v & 0xffU) << 24) | ((v & 0xff00U) << 8) | ((v >> 8) & 0xff00U) | (v >> 24);
}

FileFacts inspect_head(std::span<const unsigned char> head) {
    FileFacts f;
    if (head.size() < 4) return f;
    const std::uint32_t m = load32(head, 0, false);
    const std::uint32_t swapped = bswap32(m);
    if (m == kPcapngShb) {
        f.known = true;
        f.pcapng = true;  // its resolution comes from PcapngReader's first interface
    } else if (m == kPcapMagicUsec || swapped == kPcapMagicUsec || m == kPcapMagicModified ||
               swapped == kPcapMagicModified) {
        f.known = true;
    } else if (m == kPcapMagicNsec || swapped == kPcapMagicNsec) {
        f.known = true;
        f.nanosecond = true;
    }
    return f;
}

std::string link_description(int dlt) {
    std::string text = link_type_name(dlt);
    if (text.rfind("link type ", 0) == 0) {
        // Not one we name: ask libpcap, which knows every registered type.
        const char* name = pcap_datalink_val_to_name(dlt);
        const char* desc = pcap_datalink_val_to_description(dlt);
        if (name != nullptr) {
            text = name;
            if (desc != nullptr) text += std::string{": "} + desc;
        } else {
            text = "unknown";
        }
    }
    return text;
}

}  // namespace

// One compiled BPF program per link type, for files read without libpcap (pcapng, classic
// pcap regular files): the filter is compiled against a dead handle of that link type
// (pcap_open_dead) and applied with pcap_offline_filter, the test libpcap's own offline
// read applies after pcap_setfilter. `compiled` false: the filter cannot apply to this
// link type, so none of its frames match.
struct LinkFilter {
    bpf_program program{};
    bool compiled = false;

    LinkFilter() = default;
    LinkFilter(const LinkFilter&) = delete;
    LinkFilter& operator=(const LinkFilter&) = delete;
    ~LinkFilter() {
        if (compiled) pcap_freecode(&program);
    }
};

struct PcapReader::Impl {
    pcap_t* handle = nullptr;
    pcap_t* dead = nullptr;  // pcapng files: the handle -w dumps through
    pcap_dumper_t* dumper = nullptr;
    std::optional<PcapngReader> pcapng;  // pcapng files: our reader instead of libpcap
    // Classic pcap regular files: records read in blocks. `handle` stays open beside it: it
    // read the header, and -w dumps through it so the output keeps the header's FCS bits.
    std::optional<ClassicPcapReader> classic;
    std::string filter;
    // Files: next() applies `filter` (false: prepare_filter() left it to accepts()).
    bool filter_in_next = false;
    std::map<int, LinkFilter> filters;
    std::vector<int> link_types;
    std::string source;
    std::string format;
    std::optional<FileIdentity> input;  // the file or stdin read: -w must not be it
    bool live = false;
    bool nanosecond_file = false;
    bool nano_ticks = true;  // pcap_pkthdr.ts.tv_usec holds nanoseconds
    int link_type = 0;
    std::uint32_t snaplen = 0;  // files read without libpcap
    // A read through libpcap stopped by a limit of libpcap's that we word ourselves.
    std::optional<Error> libpcap_limit;
    FrameIndex index = 0;
    std::atomic<bool> stop{false};

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl() {
        if (dumper != nullptr) pcap_dump_close(dumper);
        if (handle != nullptr) pcap_close(handle);
        if (dead != nullptr) pcap_close(dead);
    }

    // Compiles `filter` for `dlt`; why, when it does not compile.
    std::optional<Error> compile_for(int dlt, std::uint32_t snap);
    [[nodiscard]] bool accepts(int dlt, std::uint32_t snap, std::uint32_t caplen, std::uint32_t wirelen,
                               std::span<const std::byte> data);
    // Live captures filter in the kernel (pcap_setfilter): frames it drops are never seen.
    // Files are filtered here, frame by frame, so every frame read is counted and a frame
    // keeps its number in the file (tshark's frame.number) whatever the filter.
    [[nodiscard]] bool filtered_per_link_type() const { return !live; }
    ReadStatus next_pcapng(RawFrame& out, std::string& message);
    ReadStatus next_classic(RawFrame& out, std::string& message);
    void read_classic_directly(const std::string& path);
    [[nodiscard]] std::optional<Error> adopt_handle(const std::string& what);
};

PcapReader::PcapReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PcapReader::PcapReader(PcapReader&& other) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&& other) noexcept = default;
PcapReader::~PcapReader() = default;

namespace {

// The link type check shared by files and live captures.
std::optional<Error> check_link_type(const std::string& what, int dlt) {
    if (link_type_supported(dlt)) return std::nullopt;
    return Error{ErrorKind::UnsupportedLink,
                 i18n::Msg::ErrUnsupportedLink,
                 {std::to_string(dlt), std::string(link_description(dlt)), what}};
}

}  // namespace

Result<PcapReader> PcapReader::open_file(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    impl->source = path;
    if (path == "-") {
        impl->input = identity_of(STDIN_FILENO);
        return open_stream(std::move(impl), stdin, "stdin");
    }

    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {quoted(path), std::strerror(errno)}};
    if (S_ISDIR(st.st_mode))
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {quoted(path), std::strerror(EISDIR)}};
    std::FILE* fp = std::fopen(path.c_str(), "rb");
    if (fp == nullptr)
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {quoted(path), std::strerror(errno)}};
    impl->input = identity_of(fileno(fp));
    // A pipe, FIFO or device: read as a stream, like stdin (it cannot be rewound).
    if (!S_ISREG(st.st_mode)) return open_stream(std::move(impl), fp, quoted(path));
    std::array<unsigned char, 4096> head{};
    const std::size_t got = std::fread(head.data(), 1, head.size(), fp);
    const bool read_error = std::ferror(fp) != 0;
    const int read_errno = errno;
    if (read_error || std::fseek(fp, 0, SEEK_SET) != 0) {
        std::fclose(fp);
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotRead, {quoted(path), std::strerror(read_errno)}};
    }
    if (got == 0) {
        std::fclose(fp);
        return Error{ErrorKind::NotACapture, i18n::Msg::ErrEmptyCapture, {quoted(path)}};
    }
    const FileFacts facts = inspect_head(std::span<const unsigned char>(head.data(), got));
    if (!facts.known) {
        std::fclose(fp);
        return Error{ErrorKind::NotACapture, i18n::Msg::ErrBadMagic, {quoted(path)}};
    }
    impl->format = facts.pcapng ? "pcapng" : "pcap";
    impl->nanosecond_file = facts.nanosecond;
    if (facts.pcapng) {
        std::fclose(fp);
        return open_pcapng(std::move(impl), path);
    }
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    impl->handle = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
    if (impl->handle == nullptr) {
        std::fclose(fp);  // libpcap closes the FILE only once it owns a handle
        return Error{
            ErrorKind::NotACapture, i18n::Msg::ErrUnreadableCapture, {quoted(path), impl->format, errbuf.data()}};
    }
    if (auto err = impl->adopt_handle(quoted(path))) return *err;
    impl->read_classic_directly(path);  // a classic pcap regular file: the pcapng case returned above
    return PcapReader{std::move(impl)};
}

// Standard input, pipes, FIFOs and devices cannot be rewound after a look at their first
// bytes: libpcap reads them as a stream and tells pcap from pcapng itself (one link type per
// capture, libpcap's limit for pcapng read this way).
Result<PcapReader> PcapReader::open_stream(std::unique_ptr<Impl> impl, std::FILE* fp, const std::string& what) {
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    impl->handle = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
    if (impl->handle == nullptr) {
        if (fp != stdin) std::fclose(fp);  // libpcap closes the FILE only once it owns a handle
        return Error{ErrorKind::NotACapture, i18n::Msg::ErrNotCapture, {what, errbuf.data()}};
    }
    // libpcap reports the pcapng SHB version (1.x) and the pcap header version (2.x).
    impl->format = pcap_major_version(impl->handle) == 1 ? "pcapng" : "pcap";
    if (auto err = impl->adopt_handle(what)) return *err;
    return PcapReader{std::move(impl)};
}

// What libpcap's handle says about the capture it opened; an error if we cannot read it.
std::optional<Error> PcapReader::Impl::adopt_handle(const std::string& what) {
    nano_ticks = pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO;
    link_type = pcap_datalink(handle);
    if (link_type < 0 || link_type > 0xffff) {
        // libpcap 1.10 keeps the header's reserved link-type bits (Wireshark rejects them).
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08x", static_cast<unsigned>(link_type));
        return Error{ErrorKind::NotACapture, i18n::Msg::ErrReservedLinkBits, {what, hex}};
    }
    if (auto err = check_link_type(what, link_type)) return err;
    link_types = {link_type};
    return std::nullopt;
}

// Reads the records of a classic pcap regular file in large blocks (libpcap reads files 4 KiB
// at a time and copies every record). libpcap has already accepted the header; anything
// that keeps our reader from matching libpcap's reading leaves the file to libpcap.
void PcapReader::Impl::read_classic_directly(const std::string& path) {
    auto direct = ClassicPcapReader::open(path, quoted(path));
    if (!direct) return;  // unreadable to us (or the file changed since): libpcap reads it
    const ClassicPcapReader& m = direct.value();
    const int snapshot = pcap_snapshot(handle);
    // Both parse the same 24 bytes; a disagreement would be a gap in our copy of libpcap's
    // rules, and libpcap's reading is the reference.
    if (m.link_type() != link_type || snapshot <= 0 || m.snaplen() != static_cast<std::uint32_t>(snapshot) ||
        m.nanosecond_file() != nanosecond_file)
        return;
    if (m.byte_swapped() && ClassicPcapReader::needs_pseudo_header_swap(m.link_type())) return;
    snaplen = m.snaplen();
    classic.emplace(std::move(direct.value()));
}

// pcapng files go through PcapngReader: libpcap 1.10 cannot read interfaces of different
// link types. The file is reopened so that the reader starts on a fresh stream.
Result<PcapReader> PcapReader::open_pcapng(std::unique_ptr<Impl> impl, const std::string& path) {
    const std::string what = quoted(path);
    std::FILE* fp = std::fopen(path.c_str(), "rb");
    if (fp == nullptr) return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpen, {what, std::strerror(errno)}};
    auto reader = PcapngReader::open(fp, what);
    if (!reader) return reader.error();
    impl->pcapng.emplace(std::move(reader.value()));
    const PcapngReader& ng = *impl->pcapng;
    for (int t : ng.link_types()) impl->link_types.push_back(dlt_from_linktype(t));
    const PcapngInterface& first = ng.first_interface();
    impl->link_type = ng.has_interfaces() ? dlt_from_linktype(first.link_type) : linktype::kEthernet;
    // As libpcap: a snaplen of 0 (no limit) or above its maximum reads as the maximum.
    impl->snaplen = first.snaplen == 0 || first.snaplen > kLibpcapMaxSnaplen ? kLibpcapMaxSnaplen : first.snaplen;
    // MSB clear: 10^-v seconds; set: 2^-(v & 0x7f) seconds. Finer than a microsecond
    // (10^-6, about 2^-20) counts as a nanosecond file.
    impl->nanosecond_file =
        ng.has_interfaces() && ((first.tsresol & 0x80U) == 0 ? first.tsresol > 6 : (first.tsresol & 0x7fU) > 19);
    impl->nano_ticks = true;
    // Interfaces we cannot decode are fine beside ones we can (their frames count as
    // non-IP); a file with none we can decode is refused as a pcap file would be.
    const bool any_supported = impl->link_types.empty() || std::any_of(impl->link_types.begin(), impl->link_types.end(),
                                                                       [](int t) { return link_type_supported(t); });
    if (!any_supported) {
        if (auto err = check_link_type(what, impl->link_types.front())) return *err;
    }
    return PcapReader{std::move(impl)};
}

Result<PcapReader> PcapReader::open_live(const std::string& iface, int snaplen, bool promisc) {
    auto impl = std::make_unique<Impl>();
    impl->source = iface;
    impl->live = true;
    impl->format = "live";
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    impl->handle = pcap_create(iface.c_str(), errbuf.data());
    if (impl->handle == nullptr)
        return Error{ErrorKind::CannotOpen, i18n::Msg::ErrCannotOpenInterface, {quoted(iface), errbuf.data()}};
    pcap_t* p = impl->handle;
    (void)pcap_set_snaplen(p, snaplen);
    (void)pcap_set_promisc(p, promisc ? 1 : 0);
    // Immediate mode: frames are delivered as they arrive, so the walkthrough is live.
    (void)pcap_set_immediate_mode(p, 1);
    // A timeout lets next() notice break_loop() even on an idle interface.
    (void)pcap_set_timeout(p, 250);
    // Not every platform or device offers nanoseconds; microseconds are the fallback.
    (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);

    const int rc = pcap_activate(p);
    if (rc < 0) {
        std::string detail = pcap_geterr(p);
        if (detail.empty()) detail = pcap_statustostr(rc);
        switch (rc) {
            case PCAP_ERROR_PERM_DENIED:
            case PCAP_ERROR_PROMISC_PERM_DENIED:
                return Error{ErrorKind::Permission, i18n::Msg::ErrCapturePermission, {quoted(iface), detail}};
            case PCAP_ERROR_NO_SUCH_DEVICE:
                return Error{ErrorKind::CannotOpen, i18n::Msg::ErrNoSuchInterface, {quoted(iface), detail}};
            default: return Error{ErrorKind::Io, i18n::Msg::ErrCaptureFailed, {quoted(iface), detail}};
        }
    }
    impl->nano_ticks = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    impl->link_type = pcap_datalink(p);
    if (auto err = check_link_type("interface " + quoted(iface), impl->link_type)) return *err;
    impl->link_types = {impl->link_type};
    return PcapReader{std::move(impl)};
}

std::optional<Error> PcapReader::Impl::compile_for(int dlt, std::uint32_t snap) {
    auto& slot = filters[dlt];
    if (slot.compiled) return std::nullopt;
    const int snap_len =
        snap == 0 || snap > kLibpcapMaxSnaplen ? static_cast<int>(kLibpcapMaxSnaplen) : static_cast<int>(snap);
    pcap_t* probe = pcap_open_dead(dlt, snap_len);
    if (probe == nullptr) return Error{ErrorKind::BadFilter, i18n::Msg::FilterNoProgramForLink, {std::to_string(dlt)}};
    std::optional<Error> error;
    if (pcap_compile(probe, &slot.program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0)
        slot.compiled = true;
    else
        error = Error{ErrorKind::BadFilter, i18n::Msg::ReadNoteAsWritten, {pcap_geterr(probe)}};
    pcap_close(probe);
    return error;
}

bool PcapReader::Impl::accepts(int dlt, std::uint32_t snap, std::uint32_t caplen, std::uint32_t wirelen,
                               std::span<const std::byte> data) {
    auto it = filters.find(dlt);
    if (it == filters.end()) {
        // An interface the opening scan did not see (the file grew): compile now.
        (void)compile_for(dlt, snap);
        it = filters.find(dlt);
    }
    if (!it->second.compiled) return false;
    pcap_pkthdr hdr{};
    hdr.caplen = caplen;
    hdr.len = wirelen;
    return pcap_offline_filter(&it->second.program, &hdr,
                               reinterpret_cast<const u_char*>(data.data())) !=
           0;  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

Result<bool> PcapReader::set_filter(const std::string& bpf) {
    if (impl_->filtered_per_link_type()) {
        // One program per link type. The filter is refused only when it compiles for none
        // of the file's link types (a syntax error fails on every one); frames of a link
        // type it cannot apply to never match, as libpcap would drop them.
        impl_->filter = bpf;
        impl_->filters.clear();
        std::vector<int> types = impl_->link_types;
        if (types.empty()) types.push_back(linktype::kEthernet);  // still check the syntax
        std::optional<Error> first_error;
        bool any = false;
        for (int t : types) {
            if (auto err = impl_->compile_for(t, impl_->snaplen)) {
                if (!first_error) first_error = std::move(err);
            } else {
                any = true;
            }
        }
        if (!any) return Error{ErrorKind::BadFilter, i18n::Msg::ErrBadFilter, {bpf}, *first_error};
        impl_->filter_in_next = true;
        return true;
    }
    bpf_program program{};
    if (pcap_compile(impl_->handle, &program, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        return Error{ErrorKind::BadFilter, i18n::Msg::ErrBadFilter, {bpf, pcap_geterr(impl_->handle)}};
    const int rc = pcap_setfilter(impl_->handle, &program);
    pcap_freecode(&program);
    if (rc != 0)
        return Error{ErrorKind::BadFilter, i18n::Msg::ErrFilterNotInstalled, {bpf, pcap_geterr(impl_->handle)}};
    return true;
}

Result<bool> PcapReader::prepare_filter(const std::string& bpf) {
    auto installed = set_filter(bpf);
    if (installed) impl_->filter_in_next = false;
    return installed;
}

bool PcapReader::accepts(const RawFrame& frame) {
    if (impl_->filter.empty()) return true;
    return impl_->accepts(frame.link_type, impl_->snaplen, frame.caplen, frame.wirelen, frame.data);
}

ReadStatus PcapReader::Impl::next_pcapng(RawFrame& out, std::string& message) {
    for (;;) {
        if (stop.load(std::memory_order_relaxed)) return ReadStatus::End;
        PcapngPacket p;
        const ReadStatus status = pcapng->next(p, message);
        if (status != ReadStatus::Frame) return status;
        const int dlt = dlt_from_linktype(p.link_type);
        ++index;
        if (filter_in_next && !accepts(dlt, p.snaplen, p.caplen, p.wirelen, p.data)) continue;
        out.index = index;
        out.ts = p.ts;
        out.link_type = dlt;
        out.caplen = p.caplen;
        out.wirelen = p.wirelen;
        out.data = p.data;
        return ReadStatus::Frame;
    }
}

ReadStatus PcapReader::Impl::next_classic(RawFrame& out, std::string& message) {
    for (;;) {
        if (stop.load(std::memory_order_relaxed)) return ReadStatus::End;
        const ReadStatus status = classic->next(out, message);
        if (status != ReadStatus::Frame) return status;
        // `out.index` is the record's number in the file, counted before the filter.
        if (filter_in_next && !accepts(out.link_type, snaplen, out.caplen, out.wirelen, out.data)) continue;
        return ReadStatus::Frame;
    }
}

std::optional<Error> PcapReader::problem() const {
    if (impl_ && impl_->pcapng) return impl_->pcapng->problem();
    if (impl_ && impl_->classic) return impl_->classic->problem();
    if (impl_) return impl_->libpcap_limit;
    return std::nullopt;
}

ReadStatus PcapReader::next(RawFrame& out, std::string& message) {
    if (impl_ && impl_->classic) return impl_->next_classic(out, message);
    if (impl_ && impl_->pcapng) return impl_->next_pcapng(out, message);
    if (!impl_ || impl_->handle == nullptr) {
        message = "capture is closed";
        return ReadStatus::Error;
    }
    for (;;) {
        if (impl_->stop.load(std::memory_order_relaxed)) return ReadStatus::End;
        pcap_pkthdr* hdr = nullptr;
        const u_char* bytes = nullptr;
        const int rc = pcap_next_ex(impl_->handle, &hdr, &bytes);
        if (rc == 1) {
            ++impl_->index;
            // The only place bytes change type: libpcap's u_char buffer seen as std::byte.
            const std::span<const std::byte> data(
                reinterpret_cast<const std::byte*>(bytes),  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
                hdr->caplen);
            if (impl_->filter_in_next && !impl_->accepts(impl_->link_type, impl_->snaplen, hdr->caplen, hdr->len, data))
                continue;
            const std::int64_t frac = hdr->ts.tv_usec;
            const std::int64_t sub_ns = impl_->nano_ticks ? frac : frac * 1000;
            out.index = impl_->index;
            out.ts = Timestamp{static_cast<std::int64_t>(hdr->ts.tv_sec) * kNsPerSec + sub_ns};
            out.link_type = impl_->link_type;
            out.caplen = hdr->caplen;
            out.wirelen = hdr->len;
            out.data = data;
            return ReadStatus::Frame;
        }
        if (rc == 0) continue;                               // live read timeout: keep waiting
        if (rc == PCAP_ERROR_BREAK) return ReadStatus::End;  // end of file, or break_loop()
        message = pcap_geterr(impl_->handle);
        if (impl_->live) return ReadStatus::Error;
        if (message.find("different from the type of the first interface") != std::string::npos) {
            // libpcap 1.10 keeps one link type per handle; a later pcapng IDB that differs
            // stops the read.
            impl_->libpcap_limit =
                Error{ErrorKind::Io, i18n::Msg::ReadStreamMixedLinkTypes, {quoted(impl_->source), message}};
            message = impl_->libpcap_limit->message;
            return ReadStatus::Error;
        }
        return ReadStatus::Truncated;
    }
}

void PcapReader::break_loop() noexcept {
    if (!impl_) return;
    impl_->stop.store(true, std::memory_order_relaxed);
    if (impl_->handle != nullptr) pcap_breakloop(impl_->handle);
}

std::optional<Stats> PcapReader::stats() const {
    if (!impl_->live) return std::nullopt;
    pcap_stat ps{};
    if (pcap_stats(impl_->handle, &ps) != 0) return std::nullopt;
    return Stats{.received = ps.ps_recv, .dropped = ps.ps_drop, .if_dropped = ps.ps_ifdrop};
}

int PcapReader::link_type() const { return impl_->link_type; }
std::vector<int> PcapReader::link_types() const { return impl_->link_types; }
std::uint32_t PcapReader::snaplen() const {
    if (impl_->pcapng) return impl_->snaplen;
    const int s = pcap_snapshot(impl_->handle);
    return s > 0 ? static_cast<std::uint32_t>(s) : 0;
}
bool PcapReader::nanosecond_file() const { return impl_->nanosecond_file; }
std::string PcapReader::format() const { return impl_->format; }
bool PcapReader::is_live() const { return impl_->live; }
const std::string& PcapReader::source() const { return impl_->source; }

Result<bool> PcapReader::open_dump(const std::string& path, std::span<const FileIdentity> also_read) {
    close_dump();
    std::vector<FileIdentity> inputs(also_read.begin(), also_read.end());
    if (impl_->input) inputs.push_back(*impl_->input);
    pcap_t* through = impl_->handle;
    if (impl_->pcapng) {
        // -w writes classic pcap, which has one link type for the whole file.
        if (impl_->link_types.size() > 1) {
            std::string types;
            for (int t : impl_->link_types) types += (types.empty() ? "" : ", ") + std::to_string(t);
            return Error{
                ErrorKind::Usage, i18n::Msg::ErrDumpSeveralLinkTypes, {quoted(path), quoted(impl_->source), types}};
        }
        if (impl_->dead == nullptr)
            impl_->dead = pcap_open_dead_with_tstamp_precision(impl_->link_type, static_cast<int>(impl_->snaplen),
                                                               PCAP_TSTAMP_PRECISION_NANO);
        if (impl_->dead == nullptr) return Error{ErrorKind::Io, i18n::Msg::ErrDumpNoMemory, {quoted(path)}};
        through = impl_->dead;
    }
    if (path == "-") {
        // Standard output may be the input too (`tcpflow-explain f.pcap -w - 1<>f.pcap`).
        if (const auto out = identity_of(STDOUT_FILENO)) {
            if (auto refused = refuse_input("-", "-w", *out, inputs)) return *refused;
        }
        impl_->dumper = pcap_dump_open(through, "-");
    } else {
        auto fd = open_output_file(path, "-w", inputs);
        if (!fd) return fd.error();
        std::FILE* fp = ::fdopen(fd.value(), "wb");
        if (fp == nullptr) {
            ::close(fd.value());
            return Error{ErrorKind::Io, i18n::Msg::ErrDumpFailed, {quoted(path), std::strerror(errno)}};
        }
        impl_->dumper = pcap_dump_fopen(through, fp);
        if (impl_->dumper == nullptr) std::fclose(fp);  // libpcap owns the FILE only on success
    }
    if (impl_->dumper == nullptr)
        return Error{ErrorKind::Io, i18n::Msg::ErrDumpFailed, {quoted(path), pcap_geterr(through)}};
    return true;
}

void PcapReader::dump(const RawFrame& frame) {
    if (!impl_ || impl_->dumper == nullptr) return;
    const std::int64_t ns = frame.ts.count();
    std::int64_t sec = ns / kNsPerSec;
    std::int64_t rem = ns % kNsPerSec;
    if (rem < 0) {
        rem += kNsPerSec;
        --sec;
    }
    pcap_pkthdr hdr{};
    hdr.ts.tv_sec = static_cast<time_t>(sec);
    // The dump file has the handle's precision (nsec magic for files opened here).
    hdr.ts.tv_usec = static_cast<suseconds_t>(impl_->nano_ticks ? rem : rem / 1000);
    hdr.caplen = static_cast<bpf_u_int32>(frame.data.size());
    hdr.len = frame.wirelen;
    pcap_dump(
        reinterpret_cast<u_char*>(impl_->dumper),  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        &hdr,
        reinterpret_cast<const u_char*>(frame.data.data()));  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

void PcapReader::close_dump() {
    if (!impl_ || impl_->dumper == nullptr) return;
    pcap_dump_flush(impl_->dumper);
    pcap_dump_close(impl_->dumper);
    impl_->dumper = nullptr;
}

std::optional<FileIdentity> PcapReader::input_identity() const { return impl_->input; }

Result<bool> PcapReader::known_user(const std::string& user) {
    if (::getpwnam(user.c_str()) == nullptr) return Error{ErrorKind::Usage, i18n::Msg::ErrUnknownUser, {quoted(user)}};
    return true;
}

Result<bool> PcapReader::drop_privileges(const std::string& user) {
    errno = 0;
    const passwd* pw = ::getpwnam(user.c_str());
    if (pw == nullptr) return Error{ErrorKind::Usage, i18n::Msg::ErrUnknownUser, {quoted(user)}};
    // Copied: initgroups() may reuse getpwnam's static buffer.
    const std::string name = pw->pw_name;
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    const std::string who = quoted(user);
    const auto failed = [&who](const char* call) {
        return Error{ErrorKind::Permission, i18n::Msg::ErrDropCallFailed, {who, call, std::strerror(errno)}};
    };
    if (::geteuid() != 0 && ::getuid() != 0) {
        // Not root: there is no root to give up. Already that user is fine; becoming another
        // one is impossible, and saying so beats running with what the user meant to shed.
        if (::getuid() == uid && ::geteuid() == uid) return true;
        return Error{ErrorKind::Permission, i18n::Msg::ErrDropNotRoot, {who}};
    }
    // Order matters: the supplementary groups and the gid while still root, the uid last
    // (tcpdump's droproot()); setuid() from root also clears every capability.
    if (::initgroups(name.c_str(), gid) != 0) return failed("initgroups");
    if (::setgid(gid) != 0) return failed("setgid");
    if (::setuid(uid) != 0) return failed("setuid");
    // Verify: every id is the user's, and root cannot be taken back.
    if (::getuid() != uid || ::geteuid() != uid || ::getgid() != gid || ::getegid() != gid)
        return Error{ErrorKind::Permission, i18n::Msg::ErrDropUnchanged, {who}};
    if (uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0))
        return Error{ErrorKind::Permission, i18n::Msg::ErrDropRegainable, {who}};
    return true;
}

}  // namespace tfx::ingest
