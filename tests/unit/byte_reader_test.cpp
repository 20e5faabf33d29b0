// Bounds-checked reads of the decoder (decode/byte_reader.hpp): both byte orders, and
// nothing past the end, whatever the offset.

#include <gtest/gtest.h>

#include <cstdint>

#include "decode/byte_reader.hpp"
#include "support/frame_builder.hpp"

namespace {

using namespace tfx::test;
using tfx::decode::ByteReader;

TEST(ByteReader, ReadsBothByteOrders) {
    const Bytes b = bytes({0x12, 0x34, 0x56, 0x78});
    const ByteReader r{b};
    EXPECT_EQ(r.u8(0), 0x12);
    EXPECT_EQ(r.be16(0), 0x1234);
    EXPECT_EQ(r.le16(0), 0x3412);
    EXPECT_EQ(r.be32(0), 0x12345678U);
    EXPECT_EQ(r.le32(0), 0x78563412U);
}

TEST(ByteReader, ReturnsNothingPastTheEnd) {
    const Bytes b = bytes({1, 2, 3});
    const ByteReader r{b};
    EXPECT_FALSE(r.u8(3));
    EXPECT_FALSE(r.be16(2));
    EXPECT_FALSE(r.be32(0));
    EXPECT_FALSE(r.le32(SIZE_MAX));
    EXPECT_FALSE(r.has(SIZE_MAX, 2));
    EXPECT_FALSE(r.subspan(1, 3));
    EXPECT_EQ(r.subspan(1, 2)->size(), 2U);
    EXPECT_TRUE(r.tail(7).empty());
    EXPECT_EQ(r.clamped(1, 100).size(), 2U);
    EXPECT_TRUE(ByteReader{}.empty());
}

}  // namespace
