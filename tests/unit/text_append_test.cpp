// The allocation-free appenders of src/text against the formats they replace.

#include <gtest/gtest.h>

#include <fmt/format.h>

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

// append_fixed promises fmt's "{:.Nf}" of value / divisor as a double, byte for byte.
TEST(TextAppend, FixedMatchesFmtOnRandomValues) {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 200000; ++i) {
        const int decimals = static_cast<int>(rng() % 7);
        const std::int64_t divisor = (rng() % 2) ? 1'000'000'000 : 1'000'000;
        std::int64_t value = static_cast<std::int64_t>(rng() >> (rng() % 64));
        if (rng() % 4 == 0) value = -value;
        if (rng() % 8 == 0) value = value / divisor * divisor + divisor / 2;  // ties
        const std::string expected =
            fmt::format("{:.{}f}", static_cast<double>(value) / static_cast<double>(divisor), decimals);
        ASSERT_EQ(fixed(value, divisor, decimals), expected) << value << " / " << divisor << ", " << decimals;
    }
}
