#pragma once
/// TCP sequence numbers with serial-number arithmetic (RFC 1982, RFC 9293 §3.4).
///
/// A raw `<` on two sequence numbers is wrong across the 2^32 wrap; SeqNum only offers
/// modular comparison and distance, so wrong comparisons do not compile.

#include <compare>
#include <cstdint>

namespace tfx {

class SeqNum {
public:
    constexpr SeqNum() = default;
    constexpr explicit SeqNum(std::uint32_t raw) : raw_(raw) {}

    [[nodiscard]] constexpr std::uint32_t raw() const { return raw_; }

    /// Signed distance from `other` to this number: positive when this is "after" other.
    /// Defined for distances below 2^31, as RFC 1982 requires.
    [[nodiscard]] constexpr std::int32_t operator-(SeqNum other) const {
        return static_cast<std::int32_t>(raw_ - other.raw_);
    }
    [[nodiscard]] constexpr SeqNum operator+(std::uint32_t n) const { return SeqNum{raw_ + n}; }
    [[nodiscard]] constexpr SeqNum operator-(std::uint32_t n) const { return SeqNum{raw_ - n}; }

    [[nodiscard]] constexpr bool operator==(const SeqNum&) const = default;
    [[nodiscard]] constexpr std::strong_ordering operator<=>(SeqNum other) const { return (*this - other) <=> 0; }

private:
    std::uint32_t raw_ = 0;
};

/// a > b in sequence space (Wireshark's GT_SEQ).
[[nodiscard]] constexpr bool seq_after(SeqNum a, SeqNum b) { return (a - b) > 0; }
/// a < b in sequence space (Wireshark's LT_SEQ).
[[nodiscard]] constexpr bool seq_before(SeqNum a, SeqNum b) { return (a - b) < 0; }

}  // namespace tfx
