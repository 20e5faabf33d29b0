#pragma once
// What a renderer wrote to a temporary file (std::tmpfile), read back whole; the file is closed.

#include <cstdio>
#include <string>

namespace tfx::test {

inline std::string drain(std::FILE* f) {
    std::rewind(f);
    std::string text;
    for (int ch = std::fgetc(f); ch != EOF; ch = std::fgetc(f)) text.push_back(static_cast<char>(ch));
    std::fclose(f);
    return text;
}

}  // namespace tfx::test
