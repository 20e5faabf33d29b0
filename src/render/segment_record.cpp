#include "render/segment_record.hpp"

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace tfx::render {

// A named namespace, not an anonymous one: AnyMember's conversion is only declared (it is
// used unevaluated), which clang warns about for internal linkage.
namespace record_fields {

// How many members an aggregate has: the most initializers its braces accept (each one an
// AnyMember, which converts to any member type). Used only at compile time.
struct AnyMember {
    template <typename T>
    operator T&() const&& noexcept;
};
template <typename T, typename... Members>
consteval std::size_t member_count() {
    if constexpr (requires { T{std::declval<Members>()..., AnyMember{}}; })
        return member_count<T, Members..., AnyMember>();
    else
        return sizeof...(Members);
}

}  // namespace record_fields

// Adding a field to a struct the record carries breaks the build here until the codec carries
// it too: carry it in transfer_segment() or the transfer_* function of its struct below, set
// it in RandomSegments and compare it in expect_same_segment() (tests/unit/
// segment_record_test.cpp), then update the numbers. The member count sees a new field even
// where it fits into a padding hole (AnnotatedSegment has 20 bytes of them) and sizeof does
// not; sizeof also sees a field whose type changed.
#define TFX_RECORD_CARRIES(Type, members, bytes)                                                                       \
    static_assert(record_fields::member_count<Type>() == (members) && (sizeof(void*) != 8 || sizeof(Type) == (bytes)), \
                  #Type                                                                                                \
                  " changed: update the segment record codec (src/render/segment_record.cpp) "                         \
                  "and its test, then the member count and size here")
TFX_RECORD_CARRIES(AnnotatedSegment, 41, 640);
TFX_RECORD_CARRIES(SegmentStream, 10, 48);
TFX_RECORD_CARRIES(TcpOptions, 12, 104);
TFX_RECORD_CARRIES(SackBlock, 2, 8);
TFX_RECORD_CARRIES(TimestampOption, 2, 8);
TFX_RECORD_CARRIES(StateChange, 3, 3);
TFX_RECORD_CARRIES(Annotation, 4, 32);
TFX_RECORD_CARRIES(Endpoint, 2, 20);
TFX_RECORD_CARRIES(IpAddress, 2, 17);
#undef TFX_RECORD_CARRIES

namespace {

// Largest body a record may announce: a payload is at most a snaplen (256 KiB by default);
// anything far beyond is a damaged stream, not a segment.
constexpr std::uint64_t kMostBodyBytes = std::uint64_t{64} << 20;
constexpr std::size_t kMostVarintBytes = 10;  // 64 bits, 7 per byte

[[noreturn]] void malformed(const char* what) {
    throw std::runtime_error(std::string("JSON segment record is damaged: ") + what);
}

constexpr std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

std::size_t varint_size(std::uint64_t v) {
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

char* put_varint(char* p, std::uint64_t v) {
    while (v >= 0x80) {
        *p++ = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
}

// Reads a varint at the start of `in`. Returns its size in bytes, 0 when `in` ends first.
std::size_t get_varint(std::string_view in, std::uint64_t& v) {
    v = 0;
    for (std::size_t i = 0; i < std::min(in.size(), kMostVarintBytes); ++i) {
        const auto byte = static_cast<std::uint8_t>(in[i]);
        v |= std::uint64_t{byte & 0x7fu} << (7 * i);
        if (byte < 0x80) return i + 1;
    }
    if (in.size() >= kMostVarintBytes) malformed("varint longer than 64 bits");
    return 0;
}

// The two directions of the codec. transfer_segment() calls the same member functions on
// either: the writer's take const references and append, the reader's take references and
// fill them. Numbers are varints (signed ones zigzag), so small values take one byte.

class RecordWriter {
public:
    RecordWriter(std::string& out, bool with_payload) : out_(out), with_payload_(with_payload) {}

    template <std::unsigned_integral T>
    void number(const T& v) {
        varint(v);
    }
    template <std::signed_integral T>
    void number(const T& v) {
        varint(zigzag(v));
    }
    void duration(const Duration& d) { number(std::int64_t{d.count()}); }
    template <typename E>
    requires std::is_enum_v<E>
    void enumeration(const E& e) { number(static_cast<std::underlying_type_t<E>>(e)); }
    /// Up to eight booleans in one byte.
    template <typename... B>
    requires(sizeof...(B) <= 8 && (std::same_as<B, bool> && ...)) void booleans(const B&... b) {
        unsigned bits = 0, bit = 0;
        ((bits |= (b ? 1u : 0u) << bit++), ...);
        out_.push_back(static_cast<char>(bits));
    }
    /// An optional narrower than 64 bits: value + 1, 0 when absent (no extra byte).
    template <std::unsigned_integral T>
    requires(sizeof(T) < 8) void optional_number(const std::optional<T>& o) { varint(o ? std::uint64_t{*o} + 1 : 0); }
    /// Any other optional: a presence byte, then the value through `transfer`.
    template <typename T, typename Transfer>
    void optional(const std::optional<T>& o, Transfer&& transfer) {
        out_.push_back(o ? 1 : 0);
        if (o) transfer(*o);
    }
    /// How many of a fixed array's elements are used (the caller then transfers those).
    template <std::unsigned_integral T>
    void count(const T& n, std::size_t /*capacity*/) {
        varint(n);
    }
    /// `n` raw bytes.
    template <typename Byte>
    requires(sizeof(Byte) == 1) void bytes(const Byte* first, std::size_t n) {
        out_.append(reinterpret_cast<const char*>(first), n);
    }
    /// Bytes without their trailing zeros (an IPv4 address in a 16-byte array: 4 bytes).
    template <std::size_t N>
    void trimmed_bytes(const std::array<std::uint8_t, N>& a) {
        std::size_t n = N;
        while (n > 0 && a[n - 1] == 0) --n;
        varint(n);
        bytes(a.data(), n);
    }
    void payload(const std::span<const std::byte>& p) {
        const std::size_t n = with_payload_ ? p.size() : 0;
        varint(n);
        if (n) bytes(p.data(), n);
    }

private:
    void varint(std::uint64_t v) {
        char buf[kMostVarintBytes];
        out_.append(buf, put_varint(buf, v));
    }
    std::string& out_;
    bool with_payload_;
};

class RecordReader {
public:
    explicit RecordReader(std::string_view body) : in_(body) {}

    template <std::unsigned_integral T>
    void number(T& v) {
        const std::uint64_t x = varint();
        if (x > std::numeric_limits<T>::max()) malformed("number out of range");
        v = static_cast<T>(x);
    }
    template <std::signed_integral T>
    void number(T& v) {
        const std::int64_t x = unzigzag(varint());
        if (x < std::numeric_limits<T>::min() || x > std::numeric_limits<T>::max()) malformed("number out of range");
        v = static_cast<T>(x);
    }
    void duration(Duration& d) {
        std::int64_t n = 0;
        number(n);
        d = Duration(n);
    }
    template <typename E>
    requires std::is_enum_v<E>
    void enumeration(E& e) {
        std::underlying_type_t<E> n{};
        number(n);
        e = static_cast<E>(n);
    }
    template <typename... B>
    requires(sizeof...(B) <= 8 && (std::same_as<B, bool> && ...)) void booleans(B&... b) {
        const unsigned bits = static_cast<std::uint8_t>(take(1)[0]);
        if (bits >> sizeof...(B)) malformed("unknown boolean bits");
        unsigned bit = 0;
        ((b = ((bits >> bit++) & 1u) != 0), ...);
    }
    template <std::unsigned_integral T>
    requires(sizeof(T) < 8) void optional_number(std::optional<T>& o) {
        const std::uint64_t x = varint();
        if (x == 0) {
            o.reset();
            return;
        }
        if (x - 1 > std::numeric_limits<T>::max()) malformed("number out of range");
        o = static_cast<T>(x - 1);
    }
    template <typename T, typename Transfer>
    void optional(std::optional<T>& o, Transfer&& transfer) {
        const auto present = static_cast<std::uint8_t>(take(1)[0]);
        if (present > 1) malformed("bad presence byte");
        if (!present) {
            o.reset();
            return;
        }
        transfer(o.emplace());
    }
    template <std::unsigned_integral T>
    void count(T& n, std::size_t capacity) {
        number(n);
        if (n > capacity) malformed("more elements than the array holds");
    }
    template <typename Byte>
    requires(sizeof(Byte) == 1) void bytes(Byte* first, std::size_t n) {
        if (n) std::memcpy(first, take(n).data(), n);
    }
    template <std::size_t N>
    void trimmed_bytes(std::array<std::uint8_t, N>& a) {
        std::size_t n = 0;
        count(n, N);
        a.fill(0);
        bytes(a.data(), n);
    }
    void payload(std::span<const std::byte>& p) {
        std::size_t n = 0;
        number(n);
        const std::string_view b = take(n);
        p = {reinterpret_cast<const std::byte*>(b.data()), b.size()};
    }

    [[nodiscard]] bool at_end() const { return in_.empty(); }

private:
    std::uint64_t varint() {
        std::uint64_t v = 0;
        const std::size_t n = get_varint(in_, v);
        if (n == 0) malformed("record ends inside a number");
        in_.remove_prefix(n);
        return v;
    }
    std::string_view take(std::size_t n) {
        if (n > in_.size()) malformed("record ends early");
        const std::string_view b = in_.substr(0, n);
        in_.remove_prefix(n);
        return b;
    }
    std::string_view in_;
};

// The field lists, shared by both directions. `S` is `const X` when writing and `X` when
// reading. Every field is carried (not only those the JSON prints today), so the decoded
// segment is the analysed one and a future use of a field in the JSON needs no change here.

template <typename Io, typename S>
void transfer_endpoint(Io& io, S& e) {
    io.number(e.addr.version);
    io.trimmed_bytes(e.addr.bytes);
    io.number(e.port);
}

template <typename Io, typename S>
void transfer_options(Io& io, S& o) {
    io.count(o.count, o.kinds.size());
    io.bytes(o.kinds.data(), o.count);
    io.optional_number(o.mss);
    io.optional_number(o.window_scale);
    io.count(o.sack_count, o.sack.size());
    for (std::size_t i = 0; i < o.sack_count; ++i) {
        io.number(o.sack[i].left);
        io.number(o.sack[i].right);
    }
    io.optional(o.timestamps, [&io](auto& ts) {
        io.number(ts.value);
        io.number(ts.echo_reply);
    });
    io.number(o.fast_open_cookie_len);
    io.booleans(o.sack_permitted, o.fast_open, o.truncated, o.malformed);
}

template <typename Io, typename S>
void transfer_change(Io& io, S& c) {
    io.enumeration(c.endpoint);
    io.enumeration(c.from);
    io.enumeration(c.to);
}

template <typename Io, typename S>
void transfer_annotation(Io& io, S& a) {
    io.enumeration(a.code);
    io.number(a.related);
    io.number(a.a);
    io.number(a.b);
}

template <typename Io, typename S>
void transfer_segment_stream(Io& io, S& st) {
    io.number(st.offset);
    io.number(st.end);
    io.number(st.new_bytes);
    io.number(st.duplicate_bytes);
    io.number(st.overlapping_bytes);
    io.number(st.inconsistent_bytes);
    io.number(st.uncompared_bytes);
    io.number(st.cut_bytes);
    io.number(st.beyond_fin_bytes);
    io.number(st.before_start_bytes);
}

template <typename Io, typename S>
void transfer_segment(Io& io, S& s) {
    io.number(s.frame);
    io.duration(s.ts);
    io.duration(s.since_start);
    io.duration(s.since_capture_start);
    io.number(s.conversation);
    io.number(s.wire_len);
    io.number(s.captured_len);
    io.booleans(s.has_tcp, s.window_scaled, s.window_scale_unknown);
    io.enumeration(s.sender);
    transfer_endpoint(io, s.src);
    transfer_endpoint(io, s.dst);
    io.number(s.ip_version);
    io.number(s.ip_id);
    io.number(s.ttl);
    io.number(s.flags);
    io.number(s.seq);
    io.number(s.ack);
    io.number(s.rel_seq);
    io.number(s.rel_ack);
    io.number(s.payload_len);
    io.number(s.payload_captured);
    io.number(s.window_raw);
    io.number(s.window);
    io.number(s.urgent);
    transfer_options(io, s.options);
    io.enumeration(s.meaning);
    io.enumeration(s.phase);
    io.number(s.step);
    io.number(s.steps);
    io.count(s.change_count, s.changes.size());
    for (std::size_t i = 0; i < s.change_count; ++i) transfer_change(io, s.changes[i]);
    io.count(s.annotation_count, s.annotations.size());
    for (std::size_t i = 0; i < s.annotation_count; ++i) transfer_annotation(io, s.annotations[i]);
    io.optional(s.ack_rtt, [&io](auto& d) { io.duration(d); });
    io.number(s.acks_frame);
    io.optional_number(s.bytes_in_flight);
    io.optional(s.stream, [&io](auto& st) { transfer_segment_stream(io, st); });
    io.payload(s.payload);
    // s.content_hint is not carried: it points at owned texts, and at most two segments of a
    // connection have one; the JSON document keeps them beside the records (json.cpp).
}

}  // namespace

void append_segment_record(std::string& out, const AnnotatedSegment& s, bool with_payload) {
    // The body's length is known only once it is written: one byte is kept for it, which is
    // enough below 128 bytes; a longer body moves over to make room for a longer prefix.
    const std::size_t start = out.size();
    out.push_back('\0');
    RecordWriter writer(out, with_payload);
    transfer_segment(writer, s);
    const std::size_t body = out.size() - start - 1;
    const std::size_t prefix = varint_size(body);
    if (prefix > 1) out.insert(start + 1, prefix - 1, '\0');
    put_varint(out.data() + start, body);
}

void SegmentRecordReader::feed(std::string_view piece) {
    if (!piece_.empty()) throw std::logic_error("SegmentRecordReader: fed before the last piece was read");
    piece_ = piece;
}

const AnnotatedSegment* SegmentRecordReader::next() {
    if (partial_done_) {
        partial_.clear();
        partial_done_ = false;
    }
    if (!partial_.empty()) {
        // Complete the record the last piece cut, its length prefix first.
        std::uint64_t body = 0;
        std::size_t prefix = 0;
        while ((prefix = get_varint(partial_, body)) == 0) {
            if (piece_.empty()) return nullptr;
            partial_.push_back(piece_.front());
            piece_.remove_prefix(1);
        }
        if (body > kMostBodyBytes) malformed("implausible length");
        const std::size_t whole = prefix + static_cast<std::size_t>(body);
        const std::size_t more = std::min(whole - partial_.size(), piece_.size());
        partial_.append(piece_.substr(0, more));
        piece_.remove_prefix(more);
        if (partial_.size() < whole) return nullptr;
        partial_done_ = true;  // cleared on the next call: the segment's payload points into it
        return decode(std::string_view(partial_).substr(prefix));
    }
    if (piece_.empty()) return nullptr;
    std::uint64_t body = 0;
    const std::size_t prefix = get_varint(piece_, body);
    if (prefix != 0 && body > kMostBodyBytes) malformed("implausible length");
    if (prefix == 0 || piece_.size() - prefix < body) {  // cut by the piece's end
        partial_.assign(piece_);
        piece_ = {};
        return nullptr;
    }
    const std::string_view record = piece_.substr(prefix, static_cast<std::size_t>(body));
    piece_.remove_prefix(prefix + record.size());
    return decode(record);
}

const AnnotatedSegment* SegmentRecordReader::decode(std::string_view body) {
    segment_ = AnnotatedSegment{};  // array elements past the counts stay default, as analysed
    RecordReader reader(body);
    transfer_segment(reader, segment_);
    if (!reader.at_end()) malformed("bytes left after the last field");
    return &segment_;
}

}  // namespace tfx::render
