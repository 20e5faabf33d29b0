#pragma once
// Bounds-checked reads over captured bytes: the decoder's only way to touch packet data,
// the equivalent of tcpdump's GET_ macros. Every accessor returns std::nullopt (or an empty
// span) instead of reading past the end; nothing throws, nothing allocates.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tfx::decode {

class ByteReader {
public:
    constexpr ByteReader() noexcept = default;
    constexpr explicit ByteReader(std::span<const std::byte> data) noexcept : data_(data) {}

    [[nodiscard]] constexpr std::size_t size() const noexcept { return data_.size(); }
    [[nodiscard]] constexpr bool empty() const noexcept { return data_.empty(); }
    [[nodiscard]] constexpr std::span<const std::byte> bytes() const noexcept { return data_; }

    /// True when [off, off + n) lies inside the data (overflow-safe).
    [[nodiscard]] constexpr bool has(std::size_t off, std::size_t n) const noexcept {
        return off <= data_.size() && n <= data_.size() - off;
    }

    [[nodiscard]] constexpr std::optional<std::uint8_t> u8(std::size_t off) const noexcept {
        if (!has(off, 1)) return std::nullopt;
        return at(off);
    }
    [[nodiscard]] constexpr std::optional<std::uint16_t> be16(std::size_t off) const noexcept {
        if (!has(off, 2)) return std::nullopt;
        return static_cast<std::uint16_t>((at(off) << 8) | at(off + 1));
    }
    [[nodiscard]] constexpr std::optional<std::uint32_t> be32(std::size_t off) const noexcept {
        if (!has(off, 4)) return std::nullopt;
        return (std::uint32_t{at(off)} << 24) | (std::uint32_t{at(off + 1)} << 16) | (std::uint32_t{at(off + 2)} << 8) |
               std::uint32_t{at(off + 3)};
    }
    [[nodiscard]] constexpr std::optional<std::uint16_t> le16(std::size_t off) const noexcept {
        if (!has(off, 2)) return std::nullopt;
        return static_cast<std::uint16_t>(at(off) | (at(off + 1) << 8));
    }
    [[nodiscard]] constexpr std::optional<std::uint32_t> le32(std::size_t off) const noexcept {
        if (!has(off, 4)) return std::nullopt;
        return std::uint32_t{at(off)} | (std::uint32_t{at(off + 1)} << 8) | (std::uint32_t{at(off + 2)} << 16) |
               (std::uint32_t{at(off + 3)} << 24);
    }

    /// Exactly [off, off + n), or nullopt when that range is not fully present.
    [[nodiscard]] constexpr std::optional<std::span<const std::byte>> subspan(std::size_t off,
                                                                              std::size_t n) const noexcept {
        if (!has(off, n)) return std::nullopt;
        return data_.subspan(off, n);
    }
    /// [off, end), empty when off is past the end.
    [[nodiscard]] constexpr std::span<const std::byte> tail(std::size_t off) const noexcept {
        if (off >= data_.size()) return {};
        return data_.subspan(off);
    }
    /// [off, off + n) clamped to the data: possibly shorter than n, possibly empty.
    [[nodiscard]] constexpr std::span<const std::byte> clamped(std::size_t off, std::size_t n) const noexcept {
        if (off >= data_.size()) return {};
        const std::size_t avail = data_.size() - off;
        return data_.subspan(off, n < avail ? n : avail);
    }
    /// A reader over tail(off).
    [[nodiscard]] constexpr ByteReader from(std::size_t off) const noexcept { return ByteReader{tail(off)}; }
    /// Copies n bytes at off into out; false (and out untouched) when not fully present.
    [[nodiscard]] constexpr bool copy(std::size_t off, std::span<std::uint8_t> out) const noexcept {
        if (!has(off, out.size())) return false;
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = at(off + i);
        return true;
    }

private:
    [[nodiscard]] constexpr std::uint8_t at(std::size_t off) const noexcept {
        return static_cast<std::uint8_t>(data_[off]);
    }

    std::span<const std::byte> data_;
};

}  // namespace tfx::decode
