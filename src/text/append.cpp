#include "text/append.hpp"

#include <charconv>

namespace tfx::text {

void append_fixed(fmt::memory_buffer& out, std::int64_t value, std::int64_t divisor, int decimals) {
    std::int64_t unit = divisor;  // value units per last printed digit
    std::int64_t scale = 1;       // 10^decimals
    for (int i = 0; i < decimals; ++i) {
        unit /= 10;
        scale *= 10;
    }
    // Below 2^52 the double nearest to value/divisor is less than 1/(2*divisor) from it,
    // which is less than any non-tie's distance to a rounding boundary (at least
    // 1/(2*divisor)): the same digits as the exact quotient. (2^53 was not enough: the
    // unit test against fmt found 8715381884340703 / 10^6 printed ...703 where fmt prints
    // ...702, the double being 4.8e-7 below.)
    constexpr std::int64_t kDigitsSafeInDouble = std::int64_t{1} << 52;
    const bool simple = value >= 0 && value < kDigitsSafeInDouble && unit > 0 && unit * scale == divisor;
    const std::int64_t rest = simple ? value % unit : 0;
    if (!simple || 2 * rest == unit) {
        fmt::format_to(fmt::appender(out), "{:.{}f}", static_cast<double>(value) / static_cast<double>(divisor),
                       decimals);
        return;
    }
    const std::int64_t digits = value / unit + (2 * rest > unit ? 1 : 0);
    append_int(out, digits / scale);
    if (decimals == 0) return;
    const fmt::format_int frac(static_cast<std::uint64_t>(digits % scale));
    out.push_back('.');
    for (auto pad = static_cast<std::size_t>(decimals) - frac.size(); pad > 0; --pad) out.push_back('0');
    out.append(frac.data(), frac.data() + frac.size());
}

void append_signed_seconds(fmt::memory_buffer& out, std::chrono::nanoseconds d) {
    const std::int64_t ns = d.count();
    // The magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64.
    const std::uint64_t mag = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    constexpr int kMostSecondsDigits = 20;
    constexpr int kMicrosecondDigits = 6;
    char* p = reserve_tail(out, 1 + kMostSecondsDigits + 1 + kMicrosecondDigits);
    *p++ = ns < 0 ? '-' : '+';
    p = std::to_chars(p, p + kMostSecondsDigits, mag / 1'000'000'000U).ptr;
    *p++ = '.';
    auto micros = (mag % 1'000'000'000U) / 1000U;
    for (int i = kMicrosecondDigits - 1; i >= 0; --i, micros /= 10) p[i] = static_cast<char>('0' + micros % 10);
    commit_tail(out, p + kMicrosecondDigits);
}

}  // namespace tfx::text
