#pragma once
// --step: the recorded segments shown one screen at a time, a key moving between them.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "step/recorder.hpp"

namespace tfx::step {

/// Where the keys move: Enter or space the next segment, `b` the one before, digits then
/// Enter the segment of that frame. Kept apart from the terminal so that it is plain logic.
class Position {
public:
    /// The remarks are written in `lang`.
    explicit Position(const std::vector<Stop>& stops, Language lang = Language::En) : stops_(stops), lang_(lang) {}
    [[nodiscard]] std::size_t at() const { return at_; }
    /// Each returns a remark for the prompt line (empty when the move went as asked).
    std::string forward();
    std::string back();
    std::string go_to_frame(FrameIndex frame);

private:
    const std::vector<Stop>& stops_;
    Language lang_;
    std::size_t at_ = 0;
};

/// Pages through `recorder`'s stops on the terminal; returns the exit status (0 after `q`,
/// 128 + N after signal N).
[[nodiscard]] int page(const Recorder& recorder, bool color);

}  // namespace tfx::step
