#include "session/lingering_record.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <optional>
#include <type_traits>

#include "session/lingering_fields.hpp"

namespace tfx::session {

// The compact form:
//   2 bytes   the size of the values' bytes;
//   flags     every bool of the record, one bit each (flag_bytes_ bytes);
//   values    every other field as an unsigned value, transformed by its kind so that the
//             usual value is small, in as few bytes as hold it (0 to 4, 6 or 8, little-endian);
//   codes     a 3-bit code per value, 21 to an 8-byte word: its byte count, or kEscaped when
//             the field could not be transformed and is given whole in 8 bytes.
// The record's fields are always written in the same order (LingeringFields::visit), so the
// numbers of flags and of values are the same for every record. The codes come last so that a
// value can be read as 8 bytes and masked even when it is the last one.
//
// The kinds, each a bijection or else escaped, so that no value is ever lost:
//   time       a time point or duration: 0 for zero (the unset default), else 1 + its distance
//              from a time the record holds (the first frame's, the last frame's, or a related
//              one read before it), in microseconds when whole (pcap's resolution), zigzag,
//              with a bit saying which unit; unset optional times likewise 0;
//   span       a duration: the same with no reference;
//   frame      a frame number: 0 for none, else 1 + its distance after the first frame;
//   seq        a 32-bit sequence or acknowledgment number (or TCP timestamp): 0 for 0 (most
//              often unset), else 1 + its zigzag distance from a side's base (or highest
//              timestamp);
//   near       a 32-bit (or smaller) number as its zigzag distance from a number of the record
//              it is likely equal or close to (a side's highest sequence number, a frame's IP
//              id), with no reserved code, so that the usual "equal" takes no byte;
//   recent     a frame number at or before the connection's last frame: 0 for none, else 1 +
//              its distance before it;
//   maybe_as   an optional number most often equal to another: 0 for equal, 1 for none, else
//              2 + the value;
//   pointer    what the record owns out of line: the pointer itself, handed over;
//   the rest   as it is (signed ones zigzag, optionals 0 for none, else 1 + the value).

namespace {

// A value's code says how many bytes hold it: 0 to 4, 6 or 8, or 8 holding the field whole.
constexpr unsigned kEscaped = 7;
constexpr unsigned kCodeOf[9] = {0, 1, 2, 3, 4, 5, 5, 6, 6};  // by the bytes a value needs
constexpr unsigned kLength[8] = {0, 1, 2, 3, 4, 6, 8, 8};
constexpr std::uint64_t kMask[8] = {
    0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffffff, ~std::uint64_t{0}, ~std::uint64_t{0}};
// The codes are 3 bits each, 21 to an 8-byte word (its top bit unused).
constexpr unsigned kCodeBits = 3;
constexpr std::size_t kCodesPerWord = 21;
constexpr std::size_t kHeaderBytes = 2;

std::uint64_t zigzag(std::int64_t s) {
    return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}
std::int64_t unzigzag(std::uint64_t z) { return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)); }
std::uint32_t zigzag32(std::uint32_t distance) {
    const auto s = static_cast<std::int32_t>(distance);
    return (distance << 1) ^ static_cast<std::uint32_t>(s >> 31);
}
std::uint32_t unzigzag32(std::uint32_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

// A time's distance from `ref` (modulo 2^64, so any two times have one), as 1 + the code
// described above; nullopt when the code would not fit (a distance of 2^62 ns or more).
std::optional<std::uint64_t> time_code(std::int64_t t, std::int64_t ref) {
    const auto distance = static_cast<std::int64_t>(static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(ref));
    const std::int64_t micros = distance / 1000;
    const bool whole = micros * 1000 == distance;
    const std::uint64_t z = zigzag(whole ? micros : distance);
    if (z >> 62) return std::nullopt;
    return ((z << 1) | (whole ? 0U : 1U)) + 1;
}
std::int64_t time_of(std::uint64_t code, std::int64_t ref) {
    const std::uint64_t x = code - 1;
    const std::int64_t distance = unzigzag(x >> 1) * ((x & 1) ? 1 : 1000);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(ref) + static_cast<std::uint64_t>(distance));
}

// A near number's own value (a sequence number's, or an IP id's widened).
inline std::uint32_t raw(SeqNum v) { return v.raw(); }
inline std::uint32_t raw(std::uint32_t v) { return v; }
inline std::uint32_t raw(std::uint16_t v) { return v; }

template <typename T>
std::uint64_t as_value(T v) {
    if constexpr (std::is_enum_v<T>)
        return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(v));
    else
        return static_cast<std::uint64_t>(v);
}

// Writes the values of one record.
class Writer {
public:
    Writer(std::uint8_t* flags, std::uint8_t* values, std::uint8_t* codes)
        : flags_(flags), out_(values), codes_(codes) {}

    void flag(const bool& b) {
        flag_bits_ |= std::uint64_t{b} << (bits_ & 63);
        if ((++bits_ & 63) == 0) flush(flags_, flag_bits_);
    }
    template <typename T>
    void plain(const T& v) {
        value(as_value(v));
    }
    void sint(const std::int64_t& v) { value(zigzag(v)); }
    void sint(const int& v) { value(zigzag(v)); }
    template <typename T>
    void maybe(const std::optional<T>& v) {
        value(v ? as_value(*v) + 1 : 0);
    }
    void index(const std::uint32_t& v) { value(std::uint32_t{v + 1}); }  // its "none", ~0, as 0
    void seq(const std::uint32_t& v, std::uint32_t base) { value(v == 0 ? 0 : std::uint64_t{zigzag32(v - base)} + 1); }
    void seq(const SeqNum& v, std::uint32_t base) { seq(v.raw(), base); }
    void frame(const FrameIndex& f, FrameIndex first) {
        const FrameIndex code = f - first + 1;
        if (f != 0 && code == 0) return escaped(f);
        value(f == 0 ? 0 : code);
    }
    template <typename T>
    void near(const T& v, std::uint32_t ref) {
        value(zigzag32(static_cast<std::uint32_t>(raw(v) - ref)));
    }
    void recent(const FrameIndex& f, FrameIndex last) {
        if (f > last) return escaped(f);
        value(f == 0 ? 0 : last - f + 1);
    }
    template <typename T>
    void maybe_as(const std::optional<T>& v, const std::optional<T>& ref) {
        value(v == ref ? 0 : v ? as_value(*v) + 2 : 1);
    }
    void time(const std::chrono::nanoseconds& t, std::chrono::nanoseconds ref) {
        if (t.count() == 0) return value(0);
        timed(t.count(), ref.count());
    }
    template <typename Time>
    void time(const analysis::TimeOrUnset<Time>& t, std::chrono::nanoseconds ref) {
        if (!t) return value(0);
        timed(t->count(), ref.count());
    }
    void span(const Duration& d) { time(d, Duration{}); }
    void span(const analysis::TimeOrUnset<Duration>& d) { time(d, Duration{}); }
    template <typename T>
    void pointer(const std::unique_ptr<T>& p) {
        value(reinterpret_cast<std::uintptr_t>(p.get()));
    }
    void bytes(const void* p, std::size_t n) {
#pragma GCC unroll 8
        for (std::size_t at = 0; at < n; at += 8) {
            std::uint64_t v = 0;
            std::memcpy(&v, static_cast<const std::uint8_t*>(p) + at, std::min<std::size_t>(8, n - at));
            value(v);
        }
    }

    /// Writes the flags and codes still held (8 bytes each, whatever their number).
    void finish() {
        flush(flags_, flag_bits_);
        flush(codes_, code_bits_);
    }
    [[nodiscard]] std::size_t value_bytes(const std::uint8_t* values) const {
        return static_cast<std::size_t>(out_ - values);
    }

private:
    void value(std::uint64_t v) {
        std::memcpy(out_, &v, 8);
        const unsigned c = kCodeOf[static_cast<unsigned>(std::bit_width(v) + 7) >> 3];
        out_ += kLength[c];
        code(c);
    }
    void escaped(std::uint64_t raw) {
        std::memcpy(out_, &raw, 8);
        out_ += 8;
        code(kEscaped);
    }
    void timed(std::int64_t t, std::int64_t ref) {
        if (const auto code = time_code(t, ref)) return value(*code);
        escaped(static_cast<std::uint64_t>(t));
    }
    void code(unsigned c) {
        code_bits_ |= std::uint64_t{c} << (codes_in_word_ * kCodeBits);
        if (++codes_in_word_ == kCodesPerWord) {
            flush(codes_, code_bits_);
            codes_in_word_ = 0;
        }
    }
    static void flush(std::uint8_t*& to, std::uint64_t& bits) {
        const std::uint64_t v = bits;  // a copy: no member's address is taken, so they stay in registers
        std::memcpy(to, &v, 8);
        to += 8;
        bits = 0;
    }

    // The flags and codes are gathered 64 bits at a time.
    std::uint8_t* flags_;
    std::uint8_t* out_;
    std::uint8_t* codes_;
    std::uint64_t flag_bits_ = 0;
    std::uint64_t code_bits_ = 0;
    std::size_t bits_ = 0;
    std::size_t codes_in_word_ = 0;
};

// Reads them back into a record whose bytes are a fresh record's (null pointers).
class Reader {
public:
    // The flags may be read 8 bytes at a time: the values and codes (whole words) follow them.
    Reader(const std::uint8_t* flags, const std::uint8_t* values, const std::uint8_t* codes)
        : flags_(flags), in_(values), codes_(codes) {}

    void flag(bool& b) {
        if ((bits_++ & 63) == 0) {
            std::uint64_t bits = 0;
            std::memcpy(&bits, flags_, 8);
            flag_bits_ = bits;
            flags_ += 8;
        }
        b = flag_bits_ & 1;
        flag_bits_ >>= 1;
    }
    template <typename T>
    void plain(T& v) {
        v = static_cast<T>(value());
    }
    void sint(std::int64_t& v) { v = unzigzag(value()); }
    void sint(int& v) { v = static_cast<int>(unzigzag(value())); }
    template <typename T>
    void maybe(std::optional<T>& v) {
        const std::uint64_t x = value();
        if (x == 0)
            v.reset();
        else
            v = static_cast<T>(x - 1);
    }
    void index(std::uint32_t& v) { v = static_cast<std::uint32_t>(value()) - 1; }
    void seq(std::uint32_t& v, std::uint32_t base) {
        const std::uint64_t x = value();
        v = x == 0 ? 0 : base + unzigzag32(static_cast<std::uint32_t>(x - 1));
    }
    void seq(SeqNum& v, std::uint32_t base) {
        std::uint32_t raw = 0;
        seq(raw, base);
        v = SeqNum(raw);
    }
    void frame(FrameIndex& f, FrameIndex first) {
        const std::uint64_t x = value();
        f = last_escaped_ ? x : x == 0 ? 0 : first + x - 1;
    }
    template <typename T>
    void near(T& v, std::uint32_t ref) {
        const std::uint32_t x = ref + unzigzag32(static_cast<std::uint32_t>(value()));
        if constexpr (std::is_same_v<T, SeqNum>)
            v = SeqNum(x);
        else
            v = static_cast<T>(x);
    }
    void recent(FrameIndex& f, FrameIndex last) {
        const std::uint64_t x = value();
        f = last_escaped_ ? x : x == 0 ? 0 : last - (x - 1);
    }
    template <typename T>
    void maybe_as(std::optional<T>& v, const std::optional<T>& ref) {
        const std::uint64_t x = value();
        if (x == 0)
            v = ref;
        else if (x == 1)
            v.reset();
        else
            v = static_cast<T>(x - 2);
    }
    void time(std::chrono::nanoseconds& t, std::chrono::nanoseconds ref) {
        const std::uint64_t x = value();
        if (last_escaped_)
            t = std::chrono::nanoseconds(static_cast<std::int64_t>(x));
        else
            t = std::chrono::nanoseconds(x == 0 ? 0 : time_of(x, ref.count()));
    }
    template <typename Time>
    void time(analysis::TimeOrUnset<Time>& t, std::chrono::nanoseconds ref) {
        const std::uint64_t x = value();
        if (last_escaped_)
            t = Time(static_cast<std::int64_t>(x));
        else if (x == 0)
            t = std::nullopt;
        else
            t = Time(time_of(x, ref.count()));
    }
    void span(Duration& d) { time(d, Duration{}); }
    void span(analysis::TimeOrUnset<Duration>& d) { time(d, Duration{}); }
    template <typename T>
    void pointer(std::unique_ptr<T>& p) {
        p.reset(reinterpret_cast<typename std::unique_ptr<T>::pointer>(static_cast<std::uintptr_t>(value())));
    }
    void bytes(void* p, std::size_t n) {
#pragma GCC unroll 8
        for (std::size_t at = 0; at < n; at += 8) {
            const std::uint64_t v = value();
            std::memcpy(static_cast<std::uint8_t*>(p) + at, &v, std::min<std::size_t>(8, n - at));
        }
    }

private:
    std::uint64_t value() {
        if (codes_in_word_-- == 0) next_codes();
        const auto c = static_cast<unsigned>(code_bits_ & 7);
        code_bits_ >>= kCodeBits;
        std::uint64_t v = 0;
        std::memcpy(&v, in_, 8);
        in_ += kLength[c];
        last_escaped_ = c == kEscaped;
        return v & kMask[c];
    }

    // Copies through a local: no member's address is taken, so they stay in registers.
    void next_codes() {
        std::uint64_t bits = 0;
        std::memcpy(&bits, codes_, 8);
        code_bits_ = bits;
        codes_ += 8;
        codes_in_word_ = kCodesPerWord - 1;
    }

    const std::uint8_t* flags_;
    const std::uint8_t* in_;
    const std::uint8_t* codes_;
    std::uint64_t flag_bits_ = 0;
    std::uint64_t code_bits_ = 0;
    std::size_t bits_ = 0;
    std::size_t codes_in_word_ = 0;  // still to read in code_bits_
    bool last_escaped_ = false;
};

// Counts the flags and values a record is written as.
class Counter {
public:
    template <typename... T>
    void flag(T&&...) {
        ++flags;
    }
    template <typename... T>
    void plain(T&&...) {
        ++values;
    }
    template <typename... T>
    void sint(T&&...) {
        ++values;
    }
    template <typename... T>
    void maybe(T&&...) {
        ++values;
    }
    template <typename... T>
    void index(T&&...) {
        ++values;
    }
    template <typename... T>
    void seq(T&&...) {
        ++values;
    }
    template <typename... T>
    void frame(T&&...) {
        ++values;
    }
    template <typename... T>
    void near(T&&...) {
        ++values;
    }
    template <typename... T>
    void recent(T&&...) {
        ++values;
    }
    template <typename... T>
    void maybe_as(T&&...) {
        ++values;
    }
    template <typename... T>
    void time(T&&...) {
        ++values;
    }
    template <typename... T>
    void span(T&&...) {
        ++values;
    }
    template <typename... T>
    void pointer(T&&...) {
        ++values;
    }
    void bytes(const void*, std::size_t n) { values += (n + 7) / 8; }

    std::size_t flags = 0;
    std::size_t values = 0;
};

}  // namespace

LingeringCodec::LingeringCodec(const Options& options) {
    alignas(Connection) std::byte storage[sizeof(Connection)]{};
    auto* fresh = new (storage) Connection(0, FlowKey{}, false, false, options);
    std::memcpy(fresh_, storage, sizeof(Connection));  // it owns nothing yet
    Counter count;
    LingeringFields::visit(count, *fresh);
    std::destroy_at(fresh);
    code_bytes_ = (count.values + kCodesPerWord - 1) / kCodesPerWord * 8;
    flag_bytes_ = (count.flags + 7) / 8;
}

// Flattened, so that the writer and the reader live in registers: the record is written
// through byte-wide references, which the compiler would otherwise assume may change them.
[[gnu::flatten]] std::unique_ptr<std::uint8_t[]> LingeringCodec::encode(const Connection& c) const {
    // The most a record can take: a value or flag per byte of the record, every value
    // escaped, and the 8 bytes the last write may reach past its own.
    constexpr std::size_t kMaxValues = sizeof(Connection);
    static_assert(kMaxValues * 8 <= 0xffff, "the values' size is written in 2 bytes");
    std::uint8_t flags[sizeof(Connection) / 8 + 8];
    std::uint8_t values[kMaxValues * 8 + 8];
    std::uint8_t codes[kMaxValues / 2 + 8];
    const std::size_t code_bytes = code_bytes_;

    Writer writer(flags, values, codes);
    LingeringFields::visit(writer, c);
    writer.finish();
    const std::size_t value_bytes = writer.value_bytes(values);

    auto bytes = std::make_unique_for_overwrite<std::uint8_t[]>(kHeaderBytes + flag_bytes_ + value_bytes + code_bytes);
    const auto size = static_cast<std::uint16_t>(value_bytes);
    std::memcpy(bytes.get(), &size, kHeaderBytes);
    std::uint8_t* out = bytes.get() + kHeaderBytes;
    std::memcpy(out, flags, flag_bytes_);
    std::memcpy(out + flag_bytes_, values, value_bytes);
    std::memcpy(out + flag_bytes_ + value_bytes, codes, code_bytes);
    return bytes;
}

[[gnu::flatten]] Connection& LingeringCodec::decode(const std::uint8_t* bytes, const FlowKey& key,
                                                    std::byte* storage) const {
    std::uint16_t value_bytes = 0;
    std::memcpy(&value_bytes, bytes, kHeaderBytes);
    const std::uint8_t* flags = bytes + kHeaderBytes;
    const std::uint8_t* values = flags + flag_bytes_;
    std::memcpy(storage, fresh_, sizeof(Connection));
    auto& c = *std::launder(reinterpret_cast<Connection*>(storage));
    c.key = key;
    const std::uint8_t* codes = values + value_bytes;
    Reader reader(flags, values, codes);
    LingeringFields::visit(reader, c);
    return c;
}

std::size_t LingeringCodec::size(const std::uint8_t* bytes) const {
    std::uint16_t value_bytes = 0;
    std::memcpy(&value_bytes, bytes, kHeaderBytes);
    return kHeaderBytes + flag_bytes_ + value_bytes + code_bytes_;
}

}  // namespace tfx::session
