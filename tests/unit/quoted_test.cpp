// The quotes around a file's name in a sentence.

#include <gtest/gtest.h>

#include "text/quoted.hpp"

namespace {

TEST(Quoted, NamesAFileBetweenStraightQuotes) {
    EXPECT_EQ(tfx::text::quoted("x.pcap"), "'x.pcap'");
    EXPECT_EQ(tfx::text::quoted(""), "''");
    EXPECT_EQ(tfx::text::quoted("dir/it's.pcap"), "'dir/it's.pcap'");
}

}  // namespace
