// PendingBytes: the JSON document's per-connection segment records, spilled to a temporary
// file beyond a memory budget. Whatever was spilled, each connection's bytes come back whole
// and in order, and memory stays under the budget. (Records cut by its pieces:
// segment_record_test.cpp.)

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "render/pending_bytes.hpp"

namespace {

using tfx::ConversationId;
using tfx::render::PendingBytes;
using tfx::render::SpillFailure;

std::string take_all(PendingBytes& p, ConversationId id) {
    std::string out;
    p.take(id, [&out](std::string_view piece) { out.append(piece); });
    return out;
}

TEST(PendingBytes, SpillsBeyondTheBudgetAndGivesEverythingBackInOrder) {
    PendingBytes pending(4096);
    std::map<ConversationId, std::string> expected;
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const auto id = static_cast<ConversationId>(rng() % 60 + 1);
        std::string bytes = "<" + std::to_string(i) + ">";  // binary: NULs and all
        for (std::size_t n = rng() % 300; n > 0; --n) bytes.push_back(static_cast<char>(rng() % 256));
        pending.append(id, bytes);
        expected[id] += bytes;
        EXPECT_LE(pending.bytes_in_memory(), 4096u + 400u);
        if (i % 997 == 0) {  // some connections end while others keep going
            const auto done = static_cast<ConversationId>(rng() % 60 + 1);
            EXPECT_EQ(take_all(pending, done), expected[done]);
            expected.erase(done);
            EXPECT_TRUE(pending.empty(done));
        }
    }
    EXPECT_GT(pending.bytes_spilled(), 1'000'000u);
    for (auto& [id, text] : expected) EXPECT_EQ(take_all(pending, id), text) << id;
    EXPECT_EQ(pending.bytes_in_memory(), 0u);
}

TEST(PendingBytes, LongBytesComeBackInBoundedPieces) {
    PendingBytes pending(1 << 20);
    const std::string big(3 << 20, 'y');
    pending.append(1, big);
    std::size_t pieces = 0, total = 0;
    pending.take(1, [&](std::string_view piece) {
        ++pieces;
        total += piece.size();
        EXPECT_LE(piece.size(), PendingBytes::kPieceSize);
    });
    EXPECT_EQ(total, big.size());
    EXPECT_GE(pieces, 3u);
}

TEST(PendingBytes, UnknownConnectionIsEmpty) {
    PendingBytes pending;
    EXPECT_TRUE(pending.empty(5));
    EXPECT_EQ(take_all(pending, 5), "");
}

// While it lives, no file of this process may grow (RLIMIT_FSIZE 0, SIGXFSZ ignored, so that
// a write fails with EFBIG instead of killing the process), as on a full disk.
class NoFileGrows {
public:
    NoFileGrows() : handler_(std::signal(SIGXFSZ, SIG_IGN)) {
        getrlimit(RLIMIT_FSIZE, &old_);
        rlimit none = old_;
        none.rlim_cur = 0;
        setrlimit(RLIMIT_FSIZE, &none);
    }
    ~NoFileGrows() {
        setrlimit(RLIMIT_FSIZE, &old_);
        std::signal(SIGXFSZ, handler_);
    }
    NoFileGrows(const NoFileGrows&) = delete;
    NoFileGrows& operator=(const NoFileGrows&) = delete;

private:
    rlimit old_{};
    void (*handler_)(int);
};

TEST(PendingBytes, BytesThatCannotReachTheFileAreAnIoErrorThatSaysWhy) {
    PendingBytes pending(4096);
    pending.append(1, std::string(100'000, 'x'));  // spilled, still in the file's buffer
    ASSERT_GT(pending.bytes_spilled(), 0u);
    const NoFileGrows full;
    try {
        take_all(pending, 1);
        FAIL() << "the bytes came back although they never reached the file";
    } catch (const SpillFailure& e) {
        EXPECT_EQ(e.error().kind, tfx::ErrorKind::Io);
        EXPECT_EQ(e.error().text(tfx::Language::En),
                  std::string("the JSON document's temporary file could not be written: ") + std::strerror(EFBIG));
        EXPECT_EQ(
            e.error().text(tfx::Language::Fr),
            std::string("le fichier temporaire du document JSON n'a pas pu être écrit\u202f: ") + std::strerror(EFBIG));
    }
}

// The spill file is unnamed (std::tmpfile()); this process's descriptor of it is the one
// open on a deleted file.
int spill_file_descriptor() {
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
        if (!ec && target.ends_with(" (deleted)")) return std::stoi(fd.path().filename().string());
    }
    return -1;
}

TEST(PendingBytes, AFileShorterThanWhatWasWrittenIsAnIoErrorThatSaysSo) {
    PendingBytes pending(4096);
    pending.append(1, std::string(100'000, 'x'));
    pending.append(2, std::string(100'000, 'y'));
    EXPECT_EQ(take_all(pending, 1), std::string(100'000, 'x'));  // flushes the file
    const int fd = spill_file_descriptor();
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 0), 0);  // something else cut the file
    try {
        take_all(pending, 2);
        FAIL() << "bytes came back from an empty file";
    } catch (const SpillFailure& e) {
        EXPECT_EQ(e.error().kind, tfx::ErrorKind::Io);
        EXPECT_EQ(e.error().text(tfx::Language::En),
                  "the JSON document's temporary file could not be read back: it is shorter than what was written to "
                  "it");
    }
}

}  // namespace
