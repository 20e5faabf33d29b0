#include "text/append.hpp"

namespace tfx::text {

void append_fixed(fmt::memory_buffer& out, std::int64_t value, std::int64_t divisor, int decimals) {
    std::int64_t unit = divisor;  // value units per last printed digit
    std::int64_t scale = 1;       // 10^decimals
    for (int i = 0; i < decimals; ++i) {
        unit /= 10;
        scale *= 10;
    }
    constexpr std::int64_t kExactInDouble = std::int64_t{1} << 53;
    const bool simple = value >= 0 && value < kExactInDouble && unit > 0 && unit * scale == divisor;
    const std::int64_t rest = simple ? value % unit : 0;
    if (!simple || 2 * rest == unit) {
        fmt::format_to(fmt::appender(out), "{:.{}f}", static_cast<double>(value) / static_cast<double>(divisor),
                       decimals);
        return;
    }
    // The double nearest to value/divisor is within 2^-53 relative of it, far closer than
    // the distance to a rounding boundary (at least 1/(2*unit) of a digit): same digits.
    const std::int64_t digits = value / unit + (2 * rest > unit ? 1 : 0);
    append_int(out, digits / scale);
    if (decimals == 0) return;
    const fmt::format_int frac(static_cast<std::uint64_t>(digits % scale));
    out.push_back('.');
    for (auto pad = static_cast<std::size_t>(decimals) - frac.size(); pad > 0; --pad) out.push_back('0');
    out.append(frac.data(), frac.data() + frac.size());
}

}  // namespace tfx::text
