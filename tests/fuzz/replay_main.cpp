// A main() for the fuzz targets when they are not built with libFuzzer (any compiler):
// every file named on the command line, and every file under every directory named, is
// read and passed once to LLVMFuzzerTestOneInput. A crash or a sanitizer report fails the
// run, as in the fuzzer; that is how the corpus and the regression inputs run in ctest.
//
//   tfx_replay_session tests/fuzz/corpus/session tests/fuzz/regressions

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
        return false;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A copy of exactly `size` bytes on the heap, so ASan sees any read past the end.
    std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
    std::uint8_t* data = input.empty() ? nullptr : input.data();
    LLVMFuzzerTestOneInput(data, input.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    std::size_t count = 0;
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg = argv[i];
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            std::vector<std::filesystem::path> files;
            for (auto it = std::filesystem::recursive_directory_iterator(arg, ec);
                 !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
                const std::string name = it->path().filename().string();
                // Notes beside the inputs (README.md, .gitkeep) are not inputs.
                if (it->is_regular_file(ec) && name.front() != '.' && it->path().extension() != ".md")
                    files.push_back(it->path());
            }
            std::sort(files.begin(), files.end());  // a stable order, for reproducible logs
            for (const auto& f : files) {
                ok = run_file(f) && ok;
                ++count;
            }
        } else if (std::filesystem::is_regular_file(arg, ec)) {
            ok = run_file(arg) && ok;
            ++count;
        } else {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            ok = false;
        }
    }
    std::printf("replayed %zu inputs through %s\n", count, argv[0]);
    return ok ? 0 : 1;
}
