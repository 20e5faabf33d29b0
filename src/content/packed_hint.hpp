#pragma once
// A content hint held by a live connection until its summary is written: the same fields as
// ContentHint, in one block sized to them. A ContentHint is ~430 bytes of mostly empty
// strings, and a connection of a known kind keeps two of them from the time both directions
// are decided until it ends (~100k connections are alive at once on large captures); the
// packed form of an HTTP request line takes about fifty.

#include <cstdint>
#include <memory>

#include "tfx/content.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::content {

class PackedHint {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    /// No hint: unpacks as ContentHint{}.
    PackedHint() = default;
    explicit PackedHint(const ContentHint& hint);

    /// Whether a hint was packed (a default-constructed one holds none).
    [[nodiscard]] bool holds() const { return bytes_ != nullptr; }
    /// The hint's kind, without unpacking it.
    [[nodiscard]] Kind kind() const { return bytes_ ? static_cast<Kind>(bytes_[0]) : Kind::Unknown; }
    /// The hint, every field as it was packed.
    [[nodiscard]] ContentHint unpack() const;

private:
    std::unique_ptr<std::uint8_t[]> bytes_;  ///< the kind first, then the fields in order
};

}  // namespace tfx::content
