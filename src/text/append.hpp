#pragma once
// Text building blocks for the per-segment paths of the explanations (src/explain) and the
// renderers (src/render): append into a fmt::memory_buffer with no heap allocation.
//
// The cheapest way to append to a fmt::memory_buffer: make room once, write through a
// pointer, commit where the writing ended. fmt's own buffer::append copies through a generic
// chunked loop and its push_back is an out-of-line call per character; on the per-segment
// path that cost more than the bytes themselves (callgrind). Forced inline: GCC stops
// inlining into functions as large as the renderers' segment writers, and a call per piece
// would cost more than the piece.

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace tfx::text {

/// Most characters write_decimal() writes: 2^64 - 1 has 20 digits, -2^63 a sign and 19.
inline constexpr std::size_t kMostDecimalChars = 20;

namespace detail {
// "00" "01" ... "99": two digits per table read.
inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
[[gnu::always_inline]] inline char* write_pair(char* p, std::uint32_t v) {  // v < 100
    std::memcpy(p, &kDigitPairs[2 * v], 2);
    return p + 2;
}
// Exactly eight digits of v < 10^8, leading zeros kept.
[[gnu::always_inline]] inline char* write_8_digits(char* p, std::uint32_t v) {
    const std::uint32_t high = v / 10000, low = v % 10000;
    p = write_pair(p, high / 100);
    p = write_pair(p, high % 100);
    p = write_pair(p, low / 100);
    return write_pair(p, low % 100);
}
// v < 10^4, no leading zeros.
[[gnu::always_inline]] inline char* write_up_to_4_digits(char* p, std::uint32_t v) {
    if (v < 10) {
        *p = static_cast<char>('0' + v);
        return p + 1;
    }
    if (v < 100) return write_pair(p, v);
    const std::uint32_t high = v / 100;
    if (high < 10)
        *p++ = static_cast<char>('0' + high);
    else
        p = write_pair(p, high);
    return write_pair(p, v % 100);
}
// v < 10^8, no leading zeros.
[[gnu::always_inline]] inline char* write_up_to_8_digits(char* p, std::uint32_t v) {
    if (v < 10000) return write_up_to_4_digits(p, v);
    p = write_up_to_4_digits(p, v / 10000);
    const std::uint32_t low = v % 10000;
    p = write_pair(p, low / 100);
    return write_pair(p, low % 100);
}
}  // namespace detail

/// Writes `v` in decimal at `p` (room for kMostDecimalChars) and returns the end: what
/// std::to_chars writes, faster. Our JSON is mostly numbers, many of them 10 to 19 digits
/// (sequence numbers, nanosecond times); to_chars divides by 100 once per two digits, one
/// after the other, while this splits the number into independent groups of eight digits.
[[gnu::always_inline]] inline char* write_decimal(char* p, std::uint64_t v) {
    constexpr std::uint64_t k1e8 = 100'000'000, k1e16 = k1e8 * k1e8;
    if (v < k1e8) return detail::write_up_to_8_digits(p, static_cast<std::uint32_t>(v));
    if (v < k1e16) {
        p = detail::write_up_to_8_digits(p, static_cast<std::uint32_t>(v / k1e8));
        return detail::write_8_digits(p, static_cast<std::uint32_t>(v % k1e8));
    }
    p = detail::write_up_to_4_digits(p, static_cast<std::uint32_t>(v / k1e16));  // <= 1844
    p = detail::write_8_digits(p, static_cast<std::uint32_t>(v / k1e8 % k1e8));
    return detail::write_8_digits(p, static_cast<std::uint32_t>(v % k1e8));
}
[[gnu::always_inline]] inline char* write_decimal(char* p, std::int64_t v) {
    if (v >= 0) return write_decimal(p, static_cast<std::uint64_t>(v));
    *p++ = '-';
    return write_decimal(p, std::uint64_t{0} - static_cast<std::uint64_t>(v));  // -2^63 too
}

/// Room for at most `most` more bytes after the buffer's end; write there, then commit.
[[gnu::always_inline]] inline char* reserve_tail(fmt::memory_buffer& out, std::size_t most) {
    const std::size_t at = out.size();
    if (at + most > out.capacity()) out.reserve(at + most);  // the call only when it grows
    return out.data() + at;
}

/// Ends the buffer at `end`, a pointer into the room reserve_tail() made.
[[gnu::always_inline]] inline void commit_tail(fmt::memory_buffer& out, char* end) {
    out.try_resize(static_cast<std::size_t>(end - out.data()));
}

namespace detail {
// n bytes, Width <= n <= 2 * Width, as two fixed-size moves that overlap in the middle.
template <std::size_t Width>
[[gnu::always_inline]] inline void copy_overlapping(char* to, const char* from, std::size_t n) {
    char first[Width], last[Width];
    std::memcpy(first, from, Width);
    std::memcpy(last, from + n - Width, Width);
    std::memcpy(to, first, Width);
    std::memcpy(to + n - Width, last, Width);
}
}  // namespace detail

[[gnu::always_inline]] inline char* copy_bytes(char* p, std::string_view s) {
    // Most pieces are short (names, addresses, flag words): up to 32 bytes are two
    // overlapping fixed-size moves, inline, instead of a call into the library's memcpy,
    // which dispatches on the size itself (a tenth of the JSONL renderer's instructions).
    const std::size_t n = s.size();
    const char* const from = s.data();
    if (n > 32)
        std::memcpy(p, from, n);
    else if (n >= 16)
        detail::copy_overlapping<16>(p, from, n);
    else if (n >= 8)
        detail::copy_overlapping<8>(p, from, n);
    else if (n >= 4)
        detail::copy_overlapping<4>(p, from, n);
    else if (n > 0) {  // 1 to 3 bytes: first, middle, last
        p[0] = from[0];
        p[n / 2] = from[n / 2];
        p[n - 1] = from[n - 1];
    }
    // n == 0: nothing (an empty view may have a null data(), which memcpy must not see).
    return p + n;
}

[[gnu::always_inline]] inline void append_bytes(fmt::memory_buffer& out, std::string_view s) {
    commit_tail(out, copy_bytes(reserve_tail(out, s.size()), s));
}

/// Appends `value / divisor` rounded to `decimals` digits, in integer arithmetic, exact at
/// any magnitude (`divisor` a power of ten at least 10^decimals). Wherever a double holds
/// the quotient's digits (|value| < 2^52) the output is fmt's "{:.<decimals>f}" of
/// static_cast<double>(value) / divisor byte for byte, ties included (they go through fmt);
/// beyond, where the double has lost digits, a tie rounds to even.
void append_fixed(fmt::memory_buffer& out, std::int64_t value, std::int64_t divisor, int decimals);

/// A time since a connection's start as the text walkthrough and `check` reports print it:
/// "+1.234567", seconds with microseconds, truncated (not rounded), signed.
void append_signed_seconds(fmt::memory_buffer& out, std::chrono::nanoseconds d);

/// fmt::format_to into `out`, shorter to write.
template <typename... Args>
void append(fmt::memory_buffer& out, fmt::format_string<Args...> f, Args&&... args) {
    fmt::format_to(fmt::appender(out), f, std::forward<Args>(args)...);
}

namespace detail {
// True when every replacement field of `format` is a plain "{}" (no width, fill or
// precision): then no field prints more than most_chars() of its argument.
constexpr bool only_plain_fields(std::string_view format) {
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '{') continue;
        if (i + 1 < format.size() && format[i + 1] == '{') {
            ++i;  // "{{", a literal brace
            continue;
        }
        if (i + 1 >= format.size() || format[i + 1] != '}') return false;
    }
    return true;
}
template <typename T>
constexpr bool kBoundedArg = std::is_integral_v<T> || std::is_convertible_v<const T&, std::string_view>;
// The most characters "{}" prints for `v`.
template <typename T>
std::size_t most_chars(const T& v) {
    if constexpr (std::is_same_v<T, bool>)
        return 5;  // "false"
    else if constexpr (std::is_same_v<T, char>)
        return 1;
    else if constexpr (std::is_integral_v<T>)
        return 20;  // 2^64 - 1, -2^63
    else
        return std::string_view(v).size();
}
// fmt copies a string field with std::copy, which hands an empty view's null data() to
// memmove: undefined even for 0 bytes (UBSan, found by the session fuzzer). Empty strings
// are passed as a view of a literal instead.
template <typename T>
decltype(auto) non_null(const T& v) {
    if constexpr (std::is_integral_v<T>) {
        return v;
    } else {
        const std::string_view s(v);
        return s.empty() ? std::string_view("") : s;
    }
}
}  // namespace detail

/// A format made by FMT_COMPILE: an empty class whose text is only reachable by an explicit
/// conversion, unlike a string literal or a string, which convert implicitly.
template <typename T>
concept CompiledFormatString = std::is_class_v<T> && std::is_empty_v<T> && std::is_default_constructible_v<T> &&
                               !std::is_convertible_v<const T&, fmt::string_view> &&
                               requires {
    static_cast<fmt::string_view>(T{});
};

/// The same with a FMT_COMPILE format: parsed at compile time, for per-segment lines.
/// When the output's size is bounded (plain "{}" fields of integers and strings: all of the
/// sentences), fmt writes through a plain pointer into room made beforehand: its copies of
/// the literal text are then memcpy, not buffer::append's generic loop (callgrind).
template <CompiledFormatString CompiledFormat, typename... Args>
void append(fmt::memory_buffer& out, const CompiledFormat& f, const Args&... args) {
    constexpr auto format = static_cast<fmt::string_view>(CompiledFormat{});
    if constexpr (detail::only_plain_fields({format.data(), format.size()}) && (detail::kBoundedArg<Args> && ...)) {
        // The format's length bounds its literal text ("{}" and "{{" print less than they take).
        const std::size_t most = format.size() + (detail::most_chars(args) + ... + 0);
        commit_tail(out, fmt::format_to(reserve_tail(out, most), f, detail::non_null(args)...));
    } else {
        fmt::format_to(fmt::appender(out), f, args...);
    }
}
inline void append(fmt::memory_buffer& out, std::string_view s) { append_bytes(out, s); }
/// `s` padded with spaces to `width` columns, like "{:<width}" / "{:>width}" for ASCII text
/// (fmt's own padding measures Unicode display width, which costs a decode per character).
enum class Align { Left, Right };
inline void append_padded(fmt::memory_buffer& out, std::string_view s, std::size_t width, Align align) {
    const std::size_t fill = s.size() < width ? width - s.size() : 0;
    char* p = reserve_tail(out, s.size() + fill);
    if (align == Align::Right) p = static_cast<char*>(std::memset(p, ' ', fill)) + fill;
    p = copy_bytes(p, s);
    if (align == Align::Left) p = static_cast<char*>(std::memset(p, ' ', fill)) + fill;
    commit_tail(out, p);
}
inline void append_padded(fmt::memory_buffer& out, std::uint64_t v, std::size_t width, Align align) {
    char digits[kMostDecimalChars];
    append_padded(out, std::string_view(digits, static_cast<std::size_t>(write_decimal(digits, v) - digits)), width,
                  align);
}
inline void append_uint(fmt::memory_buffer& out, std::uint64_t v) {
    commit_tail(out, write_decimal(reserve_tail(out, kMostDecimalChars), v));
}
inline void append_int(fmt::memory_buffer& out, std::int64_t v) {
    commit_tail(out, write_decimal(reserve_tail(out, kMostDecimalChars), v));
}

}  // namespace tfx::text
