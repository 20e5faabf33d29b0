#pragma once
// Module note: stream / follow_printer
//   Purpose: --follow N: one connection's conversation as its bytes were
//   delivered, the two directions alternating as they happened (Wireshark's
//   Follow TCP Stream), each run of a direction headed by the direction and the
//   stream offset it starts at, each gap said where it is, and each direction's
//   totals at the end. Formats: text (printable ASCII, tab and newline as they
//   are, every other byte as \xHH and the backslash as \\, so nothing a peer
//   sent reaches the terminal raw); hex (offset, 16 bytes in hex, the same in
//   ASCII); raw (the bytes of one direction, nothing else: gaps are not
//   filled). Notes (SYN data, urgent pointer, bytes past the FIN, after the
//   RST, a capture that starts mid-stream) are lines of their own where they
//   happen, except in raw.

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "stream/connection_streams.hpp"

namespace tfx::stream {

enum class FollowFormat : std::uint8_t { Text, Hex, Raw };

class FollowPrinter : public DirectionOutputs {
public:
    /// `only`: print one direction (required for Raw). `color`: each side's runs in the walkthrough's
    /// colour for it (client blue, server magenta: render::Style), gaps and notes in its
    /// finding colour (yellow); never in Raw. `lang`: the headings, gaps, notes and totals.
    FollowPrinter(std::FILE* out, ConversationId connection, FollowFormat format, std::optional<Role> only,
                  bool color = false, Language lang = Language::En);
    ~FollowPrinter() override;
    FollowPrinter(const FollowPrinter&) = delete;
    FollowPrinter& operator=(const FollowPrinter&) = delete;

    StreamSink& opened(const StreamDirection& direction) override;
    void closed(const StreamDirection& direction, const StreamEnd& end) override;
    void finished() override;

    /// Whether the connection was seen with payload.
    [[nodiscard]] bool found() const { return found_; }

private:
    class Printed;
    class Ignored;

    /// Starts a run of `direction` at `offset` unless one is going on there.
    void start_run(const StreamDirection& direction, std::uint64_t offset);
    void print_bytes(std::uint64_t offset, std::span<const std::byte> data);
    /// A note of `sender`'s stream on a line of its own (not in Raw).
    void print_note(Role sender, const StreamNote& note);
    void end_line();
    /// Prints `line` and a newline in the finding colour (when colouring).
    void print_finding(const std::string& line);
    /// The escape sequences around a run of `sender` ("" when not colouring).
    [[nodiscard]] std::string_view side_color(Role sender) const;
    [[nodiscard]] std::string_view reset() const;

    std::FILE* out_;
    ConversationId connection_;
    FollowFormat format_;
    std::optional<Role> only_;
    bool color_;
    Language lang_;
    std::array<std::unique_ptr<Printed>, 2> printed_;
    std::unique_ptr<Ignored> ignored_;
    bool found_ = false;
    std::optional<Role> current_;    ///< the direction of the run going on
    std::uint64_t next_offset_ = 0;  ///< where the run going on continues
    bool line_open_ = false;         ///< text: the last line printed has no newline yet
};

}  // namespace tfx::stream
