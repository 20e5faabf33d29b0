#pragma once
// Writes classic pcap files for tests and sample generators, byte for byte reproducibly:
// microsecond or nanosecond magic, either byte order, any link type, and per-record caplen
// and wire length (to fake snaplen cuts or lying records). No libpcap involved.
//
//   tfx::test::PcapWriter w{{.link_type = 1, .nanosecond = true}};
//   w.add(std::chrono::seconds{1}, tfx::test::eth_tcp(spec));
//   w.add(std::chrono::milliseconds{1500}, frame, /*wire_len=*/1514);  // snaplen-cut record
//   w.write(path);                       // whole file
//   w.write_truncated(path, 10);         // last record loses its final 10 bytes
//
// Header-only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tfx/types.hpp"

namespace tfx::test {

struct PcapFileOptions {
    int link_type = 1;        ///< LINKTYPE_* value written in the header
    bool nanosecond = false;  ///< 0xa1b23c4d magic instead of 0xa1b2c3d4
    bool big_endian = false;  ///< write every header field big-endian
    std::uint32_t snaplen = 262144;
    std::uint16_t version_major = 2;
    std::uint16_t version_minor = 4;
};

struct PcapRecord {
    Timestamp ts{};
    std::vector<std::byte> data{};
    std::uint32_t wire_len = 0;                   ///< 0 = data.size()
    std::optional<std::uint32_t> caplen_field{};  ///< lie about the stored length (default: data.size())
};

class PcapWriter {
public:
    explicit PcapWriter(PcapFileOptions options = {}) : opt_(options) {}

    /// Appends a record; `wire_len` 0 means "as captured".
    PcapWriter& add(Timestamp ts, std::span<const std::byte> data, std::uint32_t wire_len = 0) {
        records_.push_back(PcapRecord{ts, {data.begin(), data.end()}, wire_len, std::nullopt});
        return *this;
    }
    PcapWriter& add(PcapRecord record) {
        records_.push_back(std::move(record));
        return *this;
    }
    [[nodiscard]] std::size_t size() const { return records_.size(); }

    /// The whole file in memory.
    [[nodiscard]] std::vector<std::byte> bytes() const {
        std::vector<std::byte> out;
        const std::uint32_t magic = opt_.nanosecond ? 0xa1b23c4dU : 0xa1b2c3d4U;
        put32(out, magic);
        put16(out, opt_.version_major);
        put16(out, opt_.version_minor);
        put32(out, 0);  // thiszone
        put32(out, 0);  // sigfigs
        put32(out, opt_.snaplen);
        put32(out, static_cast<std::uint32_t>(opt_.link_type));
        const std::int64_t per_sec = opt_.nanosecond ? 1'000'000'000 : 1'000'000;
        for (const auto& r : records_) {
            const std::int64_t ticks =
                opt_.nanosecond ? r.ts.count() : std::chrono::duration_cast<std::chrono::microseconds>(r.ts).count();
            const auto caplen = static_cast<std::uint32_t>(r.data.size());
            put32(out, static_cast<std::uint32_t>(ticks / per_sec));
            put32(out, static_cast<std::uint32_t>(ticks % per_sec));
            put32(out, r.caplen_field.value_or(caplen));
            put32(out, r.wire_len != 0 ? r.wire_len : caplen);
            out.insert(out.end(), r.data.begin(), r.data.end());
        }
        return out;
    }

    /// Writes the file; false on I/O failure.
    [[nodiscard]] bool write(const std::string& path) const { return save(path, bytes(), 0); }
    /// Writes the file minus its last `cut` bytes: the last record ends mid-data (or, with
    /// a larger cut, mid-header), as a capture killed while writing would.
    [[nodiscard]] bool write_truncated(const std::string& path, std::size_t cut) const {
        return save(path, bytes(), cut);
    }

    /// Writes raw bytes to a file (for non-capture test inputs).
    [[nodiscard]] static bool save(const std::string& path, const std::vector<std::byte>& data, std::size_t cut = 0) {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        if (!f) return false;
        const std::size_t n = cut < data.size() ? data.size() - cut : 0;
        f.write(reinterpret_cast<const char*>(data.data()),  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
                static_cast<std::streamsize>(n));
        return static_cast<bool>(f);
    }

private:
    void put16(std::vector<std::byte>& out, std::uint16_t v) const {
        if (opt_.big_endian) {
            out.push_back(static_cast<std::byte>(v >> 8));
            out.push_back(static_cast<std::byte>(v & 0xffU));
        } else {
            out.push_back(static_cast<std::byte>(v & 0xffU));
            out.push_back(static_cast<std::byte>(v >> 8));
        }
    }
    void put32(std::vector<std::byte>& out, std::uint32_t v) const {
        if (opt_.big_endian) {
            put16(out, static_cast<std::uint16_t>(v >> 16));
            put16(out, static_cast<std::uint16_t>(v & 0xffffU));
        } else {
            put16(out, static_cast<std::uint16_t>(v & 0xffffU));
            put16(out, static_cast<std::uint16_t>(v >> 16));
        }
    }

    PcapFileOptions opt_;
    std::vector<PcapRecord> records_{};
};

}  // namespace tfx::test
