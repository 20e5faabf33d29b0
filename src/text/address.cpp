#include "text/address.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "text/append.hpp"

namespace tfx::text {

namespace {
char* write_hex(char* out, unsigned v) {  // v < 0x10000: lower case, no leading zeros (RFC 5952 §4.1, §4.3)
    static constexpr char kDigits[] = "0123456789abcdef";
    const int nibbles = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;
    for (int shift = 4 * (nibbles - 1); shift >= 0; shift -= 4) *out++ = kDigits[(v >> shift) & 0xf];
    return out;
}

// The 256 octets as text with a dot after: an IPv4 address is four 4-byte copies (every
// segment's endpoints are printed, in the JSON twice).
struct OctetText {
    std::array<char, 4> text{};  // digits, '.', zeros
    std::uint8_t digits = 0;
};
constexpr std::array<OctetText, 256> kOctets = [] {
    std::array<OctetText, 256> table{};
    for (unsigned v = 0; v < 256; ++v) {
        auto& o = table[v];
        if (v >= 100) o.text[o.digits++] = static_cast<char>('0' + v / 100);
        if (v >= 10) o.text[o.digits++] = static_cast<char>('0' + v / 10 % 10);
        o.text[o.digits++] = static_cast<char>('0' + v % 10);
        o.text[o.digits] = '.';
    }
    return table;
}();
}  // namespace

char* write_address(char* out, const IpAddress& address) {
    const auto& bytes = address.bytes;
    if (address.version == 4) {  // writes up to 3 bytes past the end it returns: within kAddressRoom
        for (std::size_t i = 0; i < 4; ++i) {
            const OctetText& o = kOctets[bytes[i]];
            std::memcpy(out, o.text.data(), o.text.size());
            out += o.digits + (i < 3 ? 1 : 0);
        }
        return out;
    }
    if (address.version != 6) {
        *out++ = '?';
        return out;
    }
    // RFC 5952: the longest run (>= 2) of zero groups becomes "::" (the first such run on
    // a tie).
    std::array<unsigned, 8> g{};
    for (std::size_t i = 0; i < 8; ++i) g[i] = (unsigned{bytes[2 * i]} << 8) | bytes[2 * i + 1];
    std::size_t best = 8, best_len = 0;
    for (std::size_t i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < 8 && g[j] == 0) ++j;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    for (std::size_t i = 0; i < 8; ++i) {
        if (i == best) {
            *out++ = ':';
            *out++ = ':';
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len) *out++ = ':';
        out = write_hex(out, g[i]);
    }
    return out;
}

char* write_endpoint(char* out, const Endpoint& endpoint) {
    const bool v6 = endpoint.addr.version == 6;
    if (v6) *out++ = '[';
    out = write_address(out, endpoint.addr);
    if (v6) *out++ = ']';
    *out++ = ':';
    return write_decimal(out, std::uint64_t{endpoint.port});
}

}  // namespace tfx::text
