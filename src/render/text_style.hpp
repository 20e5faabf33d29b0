#pragma once
// The terminal colours of the text outputs (the walkthrough and the ladder): one palette, so
// the same thing has the same colour in both. Every style is empty when colour is off.

#include <string_view>

#include "tfx/annotation.hpp"

namespace tfx::render {

struct Style {
    bool on;
    std::string_view bold() const { return on ? "\033[1m" : ""; }
    std::string_view dim() const { return on ? "\033[2m" : ""; }
    std::string_view flags() const { return on ? "\033[1;36m" : ""; }
    std::string_view warn() const { return on ? "\033[33m" : ""; }
    std::string_view error() const { return on ? "\033[1;31m" : ""; }
    std::string_view state() const { return on ? "\033[32m" : ""; }
    std::string_view client() const { return on ? "\033[34m" : ""; }
    std::string_view server() const { return on ? "\033[35m" : ""; }
    std::string_view reset() const { return on ? "\033[0m" : ""; }
    std::string_view for_severity(Severity s) const {
        if (s == Severity::Error) return error();
        if (s == Severity::Warning) return warn();
        return dim();
    }
};

}  // namespace tfx::render
