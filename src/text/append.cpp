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
    // The magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64.
    const std::uint64_t magnitude =
        value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    const bool decimal_steps = unit > 0 && unit * scale == divisor;
    const auto unit_u = static_cast<std::uint64_t>(unit);
    const std::uint64_t rest = decimal_steps ? magnitude % unit_u : 0;
    // Below 2^52 the double nearest to value/divisor is less than 1/(2*divisor) from it, so
    // fmt prints the exact quotient's digits except on a tie, where the double's binary
    // value decides: ties there go through fmt to print what it prints. (2^53 was not
    // enough: 8715381884340703 / 10^6 is printed ...703 where fmt prints ...702.) Beyond,
    // the double has lost digits (a time since 1970 in ns does): the exact quotient is
    // printed, a tie rounded to even.
    constexpr std::uint64_t kDigitsSafeInDouble = std::uint64_t{1} << 52;
    const bool tie = decimal_steps && 2 * rest == unit_u;
    if (!decimal_steps || (tie && magnitude < kDigitsSafeInDouble)) {
        fmt::format_to(fmt::appender(out), "{:.{}f}", static_cast<double>(value) / static_cast<double>(divisor),
                       decimals);
        return;
    }
    std::uint64_t digits = magnitude / unit_u;
    if (2 * rest > unit_u || (tie && digits % 2 == 1)) ++digits;
    if (value < 0) out.push_back('-');
    const auto scale_u = static_cast<std::uint64_t>(scale);
    append_uint(out, digits / scale_u);
    if (decimals == 0) return;
    const fmt::format_int frac(digits % scale_u);
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
