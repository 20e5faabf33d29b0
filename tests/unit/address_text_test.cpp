// Addresses as text: the private fast writers (text/address.hpp) and the public
// write_text, which must write nothing past the end it returns.

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "support/frame_builder.hpp"
#include "text/address.hpp"
#include "tfx/types.hpp"

namespace {

using tfx::Endpoint;
using tfx::IpAddress;
using tfx::test::ip;

// Each writer gets one byte more than it needs, filled beforehand: the bytes after the end
// it returns must be untouched.
template <typename Value>
void expect_nothing_written_past_the_end(const Value& value) {
    std::array<char, Value::kMaxText + 1> room;
    room.fill('#');
    const char* end = value.write_text(room.data());
    EXPECT_EQ(std::string_view(room.data(), static_cast<std::size_t>(end - room.data())), value.to_string());
    for (const char* p = end; p != room.data() + room.size(); ++p) EXPECT_EQ(*p, '#') << value.to_string();
}

TEST(AddressText, PublicWriteTextLeavesEverythingAfterItsEndAlone) {
    for (const char* text : {"1.2.3.4", "10.0.0.1", "255.255.255.255", "2001:db8::1"}) {
        expect_nothing_written_past_the_end(ip(text));
        expect_nothing_written_past_the_end(Endpoint{ip(text), 80});
    }
}

TEST(AddressText, FastWritersPrintWhatToStringPrints) {
    const IpAddress v6 = ip("2001::1");
    for (const Endpoint& e : {Endpoint{ip("192.168.1.200"), 65535}, Endpoint{v6, 443}, Endpoint{IpAddress{}, 0}}) {
        std::array<char, tfx::text::kEndpointRoom> room{};
        char* end = tfx::text::write_endpoint(room.data(), e);
        EXPECT_EQ(std::string_view(room.data(), static_cast<std::size_t>(end - room.data())), e.to_string());
    }
    EXPECT_EQ((Endpoint{v6, 443}).to_string(), "[2001::1]:443");
    EXPECT_EQ((Endpoint{ip("192.168.1.200"), 65535}).to_string(), "192.168.1.200:65535");
}

}  // namespace
