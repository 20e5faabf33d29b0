#pragma once
// Findings by annotation code for one live connection. Most connections collect no finding
// at all, and most of the others a few kinds: a record holds only a pointer, null until the
// first finding; the block it then points to counts the first kInline distinct codes inline,
// and the full table (one counter per code, as the summary reports it) is allocated only
// when a connection collects more kinds. 8 bytes in every live record, not 40 (or 196).

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
        if (!block_) block_ = std::make_unique<Block>();
        block_->add(static_cast<std::uint8_t>(code));
    }

    /// One counter per code.
    [[nodiscard]] Table table() const { return block_ ? block_->table() : Table{}; }

    /// Sets every counter to `t`'s (a connection resumed after idle expiry continues its counts).
    void assign(const Table& t) {
        block_.reset();
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == 0) continue;
            if (!block_) block_ = std::make_unique<Block>();
            if (!block_->set(static_cast<std::uint8_t>(i), t[i])) {
                block_->all = std::make_unique<Table>(t);
                return;
            }
        }
    }

private:
    static constexpr std::uint8_t kInline = 6;

    struct Block {
        std::array<std::uint8_t, kInline> codes{};
        std::uint8_t used = 0;
        std::array<std::uint32_t, kInline> counts{};
        std::unique_ptr<Table> all;  ///< once more than kInline kinds were seen

        void add(std::uint8_t c) {
            if (all) {
                ++(*all)[c];
                return;
            }
            for (std::uint8_t i = 0; i < used; ++i) {
                if (codes[i] == c) {
                    ++counts[i];
                    return;
                }
            }
            if (set(c, 1)) return;
            all = std::make_unique<Table>(table());
            ++(*all)[c];
        }
        // Counts a code not counted yet inline, if there is room; false when there is none.
        bool set(std::uint8_t c, std::uint32_t n) {
            if (used == kInline) return false;
            codes[used] = c;
            counts[used] = n;
            ++used;
            return true;
        }
        [[nodiscard]] Table table() const {
            if (all) return *all;
            Table t{};
            for (std::uint8_t i = 0; i < used; ++i) t[codes[i]] = counts[i];
            return t;
        }
    };

    std::unique_ptr<Block> block_;  ///< null until the first finding
};

}  // namespace tfx::session
