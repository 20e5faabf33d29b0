#pragma once
// Findings by annotation code for one live connection. Most connections collect no finding
// or a few kinds, so the first kInline distinct codes are counted inline and the full
// table (one counter per code, as the summary reports it) is allocated only when a
// connection collects more kinds: 40 bytes in every live record, not 196.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "tfx/annotation.hpp"

namespace tfx::session {

struct LingeringFields;  // session/lingering_fields.hpp

class CodeCounts {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    using Table = std::array<std::uint32_t, kAnnotationCodeCount>;

    void add(AnnotationCode code) {
        const auto c = static_cast<std::uint8_t>(code);
        if (all_) {
            ++(*all_)[c];
            return;
        }
        for (std::uint8_t i = 0; i < used_; ++i) {
            if (codes_[i] == c) {
                ++counts_[i];
                return;
            }
        }
        if (used_ < kInline) {
            codes_[used_] = c;
            counts_[used_] = 1;
            ++used_;
            return;
        }
        all_ = std::make_unique<Table>(table());
        ++(*all_)[c];
    }

    /// One counter per code.
    [[nodiscard]] Table table() const {
        if (all_) return *all_;
        Table t{};
        for (std::uint8_t i = 0; i < used_; ++i) t[codes_[i]] = counts_[i];
        return t;
    }

    /// Sets every counter to `t`'s (a connection resumed after idle expiry continues its counts).
    void assign(const Table& t) {
        all_.reset();
        used_ = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == 0) continue;
            if (used_ == kInline) {
                all_ = std::make_unique<Table>(t);
                return;
            }
            codes_[used_] = static_cast<std::uint8_t>(i);
            counts_[used_] = t[i];
            ++used_;
        }
    }

private:
    static constexpr std::uint8_t kInline = 6;
    std::array<std::uint8_t, kInline> codes_{};
    std::uint8_t used_ = 0;
    std::array<std::uint32_t, kInline> counts_{};
    std::unique_ptr<Table> all_;  ///< once more than kInline kinds were seen
};

}  // namespace tfx::session
