// The allocation-free appenders of src/text against the formats they replace.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "text/append.hpp"

namespace {

std::string signed_seconds(std::int64_t ns) {
    fmt::memory_buffer out;
    tfx::text::append_signed_seconds(out, std::chrono::nanoseconds{ns});
    return fmt::to_string(out);
}

std::string fixed(std::int64_t value, std::int64_t divisor, int decimals) {
    fmt::memory_buffer out;
    tfx::text::append_fixed(out, value, divisor, decimals);
    return fmt::to_string(out);
}

}  // namespace

TEST(TextAppend, SignedSecondsTruncateToMicroseconds) {
    EXPECT_EQ(signed_seconds(0), "+0.000000");
    EXPECT_EQ(signed_seconds(1'999'999'999), "+1.999999");
    EXPECT_EQ(signed_seconds(-1'500), "-0.000001");
    EXPECT_EQ(signed_seconds(-62'000'001'000), "-62.000001");
    EXPECT_EQ(signed_seconds(std::numeric_limits<std::int64_t>::max()), "+9223372036.854775");
    EXPECT_EQ(signed_seconds(std::numeric_limits<std::int64_t>::min()), "-9223372036.854775");
}

// The exact decimal of value / divisor rounded to `decimals` digits, a tie to even: by
// long division in 128 bits, independent of append_fixed's arithmetic.
std::string exact_fixed(std::int64_t value, std::int64_t divisor, int decimals) {
    __extension__ using Wide = unsigned __int128;
    Wide scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    const std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : std::uint64_t(value);
    const Wide numerator = Wide(magnitude) * scale;
    const auto d = static_cast<Wide>(divisor);
    Wide digits = numerator / d;
    const Wide rest = numerator % d;
    if (2 * rest > d || (2 * rest == d && digits % 2 == 1)) ++digits;
    std::string s;
    for (Wide v = digits; s.size() < static_cast<std::size_t>(decimals) + 1 || v > 0; v /= 10)
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    if (decimals > 0) s.insert(s.end() - decimals, '.');
    return (value < 0 ? "-" : "") + s;
}

// Where a double holds the quotient's digits (below 2^52), append_fixed prints fmt's
// "{:.Nf}" of value / divisor as a double, byte for byte; beyond (times since 1970 in ns),
// the exact quotient.
TEST(TextAppend, FixedMatchesFmtWhereTheDoubleIsExactAndIsExactBeyond) {
    constexpr std::uint64_t kDigitsSafeInDouble = std::uint64_t{1} << 52;
    std::mt19937_64 rng(11);
    int beyond = 0;
    for (int i = 0; i < 200000; ++i) {
        const int decimals = static_cast<int>(rng() % 7);
        const std::int64_t divisor = (rng() % 2) ? 1'000'000'000 : 1'000'000;
        std::int64_t value = static_cast<std::int64_t>(rng() >> (rng() % 64));
        if (rng() % 4 == 0) value = -value;
        if (rng() % 8 == 0) value = value / divisor * divisor + divisor / 2;  // ties
        const std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : std::uint64_t(value);
        if (magnitude < kDigitsSafeInDouble) {
            const std::string expected =
                fmt::format("{:.{}f}", static_cast<double>(value) / static_cast<double>(divisor), decimals);
            ASSERT_EQ(fixed(value, divisor, decimals), expected) << value << " / " << divisor << ", " << decimals;
        } else {
            ++beyond;
            ASSERT_EQ(fixed(value, divisor, decimals), exact_fixed(value, divisor, decimals))
                << value << " / " << divisor << ", " << decimals;
        }
    }
    EXPECT_GT(beyond, 10000);  // the draw reaches the large magnitudes
}

TEST(TextAppend, FixedIsExactOnTimesSince1970) {
    // 2026-12-06T22:35:12.123456789Z: the double nearest to it in seconds is ...12.1234567165.
    EXPECT_EQ(fixed(1'796'596'512'123'456'789, 1'000'000'000, 9), "1796596512.123456789");
    EXPECT_EQ(fixed(1'796'596'512'123'456'789, 1'000'000'000, 6), "1796596512.123457");
    EXPECT_EQ(fixed(1'796'596'512'123'456'500, 1'000'000'000, 6), "1796596512.123456");  // tie: to even
    EXPECT_EQ(fixed(1'796'596'512'123'457'500, 1'000'000'000, 6), "1796596512.123458");  // tie: to even
    EXPECT_EQ(fixed(-500'000'000, 1'000'000'000, 9), "-0.500000000");
    EXPECT_EQ(fixed(std::numeric_limits<std::int64_t>::min(), 1'000'000'000, 9), "-9223372036.854775808");
    EXPECT_EQ(fixed(std::numeric_limits<std::int64_t>::max(), 1'000'000'000, 0), "9223372037");
}

namespace {

template <typename Integer>
void expect_decimal_as_to_chars(Integer v) {
    char want[32];
    char got[32];
    const std::string_view expected(want,
                                    static_cast<std::size_t>(std::to_chars(want, want + sizeof want, v).ptr - want));
    const char* end = tfx::text::write_decimal(got, v);
    ASSERT_LE(static_cast<std::size_t>(end - got), tfx::text::kMostDecimalChars);
    EXPECT_EQ(std::string_view(got, static_cast<std::size_t>(end - got)), expected);
}

}  // namespace

// write_decimal splits numbers into groups of eight digits: every digit count, both sides of
// each power of ten (where the groups change), the extremes, and random magnitudes.
TEST(TextAppend, DecimalMatchesToCharsAtEveryPowerOfTenAndAtRandom) {
    std::uint64_t power = 1;
    for (int digits = 1; digits <= 20; ++digits) {
        for (const std::uint64_t v : {power - 1, power, power + 1, power * 9 / 10 * 10 + power - 1}) {
            expect_decimal_as_to_chars(v);
            expect_decimal_as_to_chars(static_cast<std::int64_t>(v));
            expect_decimal_as_to_chars(-static_cast<std::int64_t>(v));
        }
        if (digits < 20) power *= 10;
    }
    expect_decimal_as_to_chars(std::numeric_limits<std::uint64_t>::max());
    expect_decimal_as_to_chars(std::numeric_limits<std::int64_t>::max());
    expect_decimal_as_to_chars(std::numeric_limits<std::int64_t>::min());
    std::mt19937_64 rng(2026112601);
    for (int i = 0; i < 200000; ++i) {
        const std::uint64_t v = rng() >> (rng() % 64);
        expect_decimal_as_to_chars(v);
        expect_decimal_as_to_chars(static_cast<std::int64_t>(v));
    }
}

// copy_bytes moves short pieces as two overlapping fixed-size moves: every length around
// the 4/8/16/32-byte steps, at odd offsets, writes exactly the piece and nothing after it.
TEST(TextAppend, CopyBytesWritesExactlyThePieceAtEveryLength) {
    std::string source(80, '\0');
    for (std::size_t i = 0; i < source.size(); ++i) source[i] = static_cast<char>('A' + i % 50);
    for (std::size_t length = 0; length <= 70; ++length) {
        for (std::size_t offset : {0, 1, 3}) {
            std::string dest(100, '.');
            const std::string_view piece(source.data() + offset, length);
            char* end = tfx::text::copy_bytes(dest.data() + 5, piece);
            ASSERT_EQ(end, dest.data() + 5 + length);
            EXPECT_EQ(dest.substr(0, 5), ".....");
            EXPECT_EQ(dest.substr(5, length), piece) << "length " << length;
            EXPECT_EQ(dest.substr(5 + length), std::string(95 - length, '.')) << "length " << length;
        }
    }
    std::string untouched(64, '.');
    EXPECT_EQ(tfx::text::copy_bytes(untouched.data(), std::string_view()), untouched.data());  // null data
    EXPECT_EQ(untouched, std::string(64, '.'));
}
