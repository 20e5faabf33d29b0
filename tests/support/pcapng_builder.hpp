#pragma once
// Builds pcapng files byte by byte for tests: sections in either byte order, interfaces with
// if_tsresol / if_tsoffset, Enhanced, Simple and obsolete Packet Blocks, and any other block
// raw (to build damaged files). Each block is written in the byte order of the section it
// belongs to. No libpcap involved.
//
//   tfx::test::PcapngBuilder b;
//   b.shb().idb(1, 0, 9).epb(0, 1'700'000'000'000'000'000ULL, eth_tcp({}));
//   b.shb(/*big_endian=*/true).idb(113).epb(0, 5, sll_tcp({}));
//   PcapWriter::save(path, b.bytes());
//
// Header-only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tfx::test {

class PcapngBuilder {
public:
    using Bytes = std::vector<std::byte>;

    /// Starts a section. `major` other than 1 builds an unreadable one.
    PcapngBuilder& shb(bool big_endian = false, std::uint16_t major = 1, std::uint16_t minor = 0) {
        be_ = big_endian;
        Bytes body;
        put32(body, 0x1a2b3c4d);
        put16(body, major);
        put16(body, minor);
        put32(body, 0xffffffffU);  // section length: unknown (-1)
        put32(body, 0xffffffffU);
        return block(0x0a0d0d0a, body);
    }

    /// An interface: link type, snaplen (0 = none), optional if_tsresol and if_tsoffset.
    PcapngBuilder& idb(std::uint16_t link_type, std::uint32_t snaplen = 0, std::optional<std::uint8_t> tsresol = {},
                       std::optional<std::int64_t> tsoffset = {}) {
        Bytes body;
        put16(body, link_type);
        put16(body, 0);
        put32(body, snaplen);
        if (tsresol) {
            put16(body, 9);
            put16(body, 1);
            body.push_back(static_cast<std::byte>(*tsresol));
            pad(body);
        }
        if (tsoffset) {
            put16(body, 14);
            put16(body, 8);
            put64(body, static_cast<std::uint64_t>(*tsoffset));
        }
        if (tsresol || tsoffset) put32(body, 0);  // opt_endofopt
        return block(1, body);
    }

    /// Enhanced Packet Block; `wire_len` 0 = data.size().
    PcapngBuilder& epb(std::uint32_t iface, std::uint64_t ts, std::span<const std::byte> data,
                       std::uint32_t wire_len = 0, std::optional<std::uint32_t> caplen_field = {}) {
        Bytes body;
        put32(body, iface);
        put32(body, static_cast<std::uint32_t>(ts >> 32));
        put32(body, static_cast<std::uint32_t>(ts & 0xffffffffU));
        put32(body, caplen_field.value_or(static_cast<std::uint32_t>(data.size())));
        put32(body, wire_len != 0 ? wire_len : static_cast<std::uint32_t>(data.size()));
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        return block(6, body);
    }

    /// Simple Packet Block: original length, then the data as given (padded).
    PcapngBuilder& spb(std::span<const std::byte> data, std::uint32_t wire_len = 0) {
        Bytes body;
        put32(body, wire_len != 0 ? wire_len : static_cast<std::uint32_t>(data.size()));
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        return block(3, body);
    }

    /// The obsolete Packet Block (type 2): 16-bit interface id and drops count.
    PcapngBuilder& pb(std::uint16_t iface, std::uint64_t ts, std::span<const std::byte> data,
                      std::uint32_t wire_len = 0) {
        Bytes body;
        put16(body, iface);
        put16(body, 0);
        put32(body, static_cast<std::uint32_t>(ts >> 32));
        put32(body, static_cast<std::uint32_t>(ts & 0xffffffffU));
        put32(body, static_cast<std::uint32_t>(data.size()));
        put32(body, wire_len != 0 ? wire_len : static_cast<std::uint32_t>(data.size()));
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        return block(2, body);
    }

    /// Any block: type, body (padded to 4 bytes), lengths computed unless overridden.
    PcapngBuilder& block(std::uint32_t type, Bytes body, std::optional<std::uint32_t> length_field = {},
                         std::optional<std::uint32_t> trailer_field = {}) {
        pad(body);
        const auto len = static_cast<std::uint32_t>(12 + body.size());
        put32(out_, type);
        put32(out_, length_field.value_or(len));
        out_.insert(out_.end(), body.begin(), body.end());
        put32(out_, trailer_field.value_or(len));
        return *this;
    }

    /// Raw bytes, appended as given.
    PcapngBuilder& raw(std::span<const std::byte> data) {
        out_.insert(out_.end(), data.begin(), data.end());
        return *this;
    }

    [[nodiscard]] const Bytes& bytes() const { return out_; }

private:
    static void pad(Bytes& b) {
        while (b.size() % 4 != 0) b.push_back(std::byte{0});
    }
    void put16(Bytes& b, std::uint16_t v) const {
        const auto hi = static_cast<std::byte>(v >> 8);
        const auto lo = static_cast<std::byte>(v & 0xffU);
        if (be_) {
            b.push_back(hi);
            b.push_back(lo);
        } else {
            b.push_back(lo);
            b.push_back(hi);
        }
    }
    void put32(Bytes& b, std::uint32_t v) const {
        const auto hi = static_cast<std::uint16_t>(v >> 16);
        const auto lo = static_cast<std::uint16_t>(v & 0xffffU);
        put16(b, be_ ? hi : lo);
        put16(b, be_ ? lo : hi);
    }
    void put64(Bytes& b, std::uint64_t v) const {
        const auto hi = static_cast<std::uint32_t>(v >> 32);
        const auto lo = static_cast<std::uint32_t>(v & 0xffffffffU);
        put32(b, be_ ? hi : lo);
        put32(b, be_ ? lo : hi);
    }

    bool be_ = false;
    Bytes out_{};
};

}  // namespace tfx::test
