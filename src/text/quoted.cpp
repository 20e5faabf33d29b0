#include "text/quoted.hpp"

namespace tfx::text {

std::string quoted(std::string_view name) {
    std::string out;
    out.reserve(name.size() + 2);
    out += '\'';
    out += name;
    out += '\'';
    return out;
}

}  // namespace tfx::text
