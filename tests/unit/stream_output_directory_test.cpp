// Files of a stream directory (ingest/output_file.hpp: open_output_directory,
// create_file_in): created inside the directory only, never through a link, never over an
// existing file unless asked. --write-streams with fewer descriptors than files
// (run/stream_directory.hpp): a file closed to make room is reopened to append, so every file
// ends with exactly its stream's bytes and streams.json is the same as when all stay open.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ingest/output_file.hpp"
#include "run/stream_directory.hpp"
#include "stream/connection_streams.hpp"
#include "stream/sha256.hpp"
#include "support/play_sample.hpp"

namespace {

namespace fs = std::filesystem;
using tfx::ErrorKind;
using tfx::ingest::create_file_in;
using tfx::ingest::open_output_directory;

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class StreamDirectory : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("tfx-stream-dir-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
    }
    void TearDown() override { fs::remove_all(root); }

    fs::path root;
};

TEST_F(StreamDirectory, IsCreatedWhenMissingAndFilesGoInsideIt) {
    const fs::path dir = root / "streams";
    auto d = open_output_directory(dir.string(), "--write-streams");
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_TRUE(fs::is_directory(dir));
    auto f = create_file_in(d.value(), "010.000.000.001.51000-010.000.000.002.00080", "--write-streams", false);
    ASSERT_TRUE(f.ok()) << f.error().message;
    ASSERT_EQ(::write(f.value(), "GET", 3), 3);
    ::close(f.value());
    ::close(d.value());
    EXPECT_EQ(read_file(dir / "010.000.000.001.51000-010.000.000.002.00080"), "GET");
}

TEST_F(StreamDirectory, NamesThatLeaveTheDirectoryAreRefused) {
    const std::string escape = root.filename().string() + "-escaped";
    auto d = open_output_directory(root.string(), "w");
    ASSERT_TRUE(d.ok());
    for (const std::string& name :
         std::vector<std::string>{"", ".", "..", "../" + escape, "a/b", std::string("a\0b", 3)}) {
        auto f = create_file_in(d.value(), name, "w", true);
        ASSERT_FALSE(f.ok()) << name;
        EXPECT_EQ(f.error().kind, ErrorKind::Usage);
    }
    ::close(d.value());
    EXPECT_FALSE(fs::exists(root.parent_path() / escape));
}

TEST_F(StreamDirectory, AnExistingFileIsKeptUnlessOverwriteIsAsked) {
    std::ofstream(root / "f") << "old";
    auto d = open_output_directory(root.string(), "w");
    ASSERT_TRUE(d.ok());
    auto kept = create_file_in(d.value(), "f", "w", false);
    ASSERT_FALSE(kept.ok());
    EXPECT_EQ(kept.error().kind, ErrorKind::Usage);
    EXPECT_EQ(read_file(root / "f"), "old");
    auto replaced = create_file_in(d.value(), "f", "w", true);
    ASSERT_TRUE(replaced.ok()) << replaced.error().message;
    ::close(replaced.value());
    ::close(d.value());
    EXPECT_EQ(read_file(root / "f"), "");
}

TEST_F(StreamDirectory, ALinkUnderTheNameIsNeverFollowed) {
    std::ofstream(root / "target") << "precious";
    fs::create_symlink(root / "target", root / "f");
    auto d = open_output_directory(root.string(), "w");
    ASSERT_TRUE(d.ok());
    for (const bool overwrite : {false, true}) {
        auto f = create_file_in(d.value(), "f", "w", overwrite);
        EXPECT_FALSE(f.ok());
    }
    ::close(d.value());
    EXPECT_EQ(read_file(root / "target"), "precious");
}

TEST_F(StreamDirectory, AFifoUnderTheNameIsRefusedWithoutWaiting) {
    ASSERT_EQ(::mkfifo((root / "f").c_str(), 0600), 0);
    auto d = open_output_directory(root.string(), "w");
    ASSERT_TRUE(d.ok());
    auto f = create_file_in(d.value(), "f", "w", true);  // no reader: a blocking open would hang here
    EXPECT_FALSE(f.ok());
    ::close(d.value());
}

TEST_F(StreamDirectory, TheDirectoryItselfMustNotBeALinkOrAFile) {
    fs::create_directories(root / "real");
    fs::create_directory_symlink(root / "real", root / "link");
    auto link = open_output_directory((root / "link").string(), "w");
    ASSERT_FALSE(link.ok());
    EXPECT_EQ(link.error().kind, ErrorKind::Usage);
    std::ofstream(root / "file") << "x";
    auto file = open_output_directory((root / "file").string(), "w");
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().kind, ErrorKind::Usage);
}

/// Every file of `dir` by name, with its bytes.
std::map<std::string, std::string> contents(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        out[entry.path().filename().string()] =
            std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    return out;
}

/// How many of this process's descriptors are open on stream files of `dir` (streams.json aside).
std::size_t descriptors_into(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const fs::path target = fs::read_symlink(entry.path(), ec);
        if (!ec && target.parent_path() == dir && target.filename() != "streams.json") ++n;
    }
    return n;
}

tfx::Endpoint v4(std::uint8_t last, std::uint16_t port) {
    tfx::Endpoint e;
    e.addr.version = 4;
    e.addr.bytes = {10, 0, 0, last};
    e.port = port;
    return e;
}

std::span<const std::byte> as_bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::string sha256_of(const std::string& s) {
    tfx::stream::Sha256 h;
    h.update(as_bytes(s));
    return h.finish_hex();
}

// With overwrite, an existing streams.json is emptied, unless it is one of the captures
// being read: that one is refused and kept.
TEST_F(StreamDirectory, OverwriteEmptiesAnythingButAnInput) {
    const fs::path dir = root / "out";
    fs::create_directories(dir);
    std::ofstream(dir / "streams.json") << "a capture";
    const int input = ::open((dir / "streams.json").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(input, 0);
    const auto identity = tfx::ingest::identity_of(input);
    ::close(input);
    ASSERT_TRUE(identity.has_value());
    {
        tfx::run::StreamDirectory directory(dir.string(), true, tfx::Language::En, {});
        const auto refused = directory.open(std::span(&*identity, 1));
        ASSERT_TRUE(refused.has_value());
        EXPECT_EQ(refused->kind, ErrorKind::Usage) << refused->message;
    }
    EXPECT_EQ(read_file(dir / "streams.json"), "a capture");
    {
        tfx::run::StreamDirectory directory(dir.string(), true, tfx::Language::En, {});
        ASSERT_FALSE(directory.open({}).has_value());  // live or stdin: no input file to spare
        directory.finished();
    }
    EXPECT_EQ(nlohmann::json::parse(read_file(dir / "streams.json")), nlohmann::json::array());
}

// Five directions written in turn: pieces of 1 byte, of a buffer's size and of more than a
// buffer, so that bytes wait in a buffer when their file is closed or its buffer is taken.
// Every file must end with exactly its bytes, whatever limits the writing.
struct Limits {
    std::size_t open_files;
    std::size_t write_buffers;
};
void write_five_directions_in_turn(const fs::path& dir, Limits limits, std::size_t expect_most_open,
                                   bool expect_reopened) {
    tfx::run::StreamDirectory directory(dir.string(), false, tfx::Language::En, {}, limits.open_files,
                                        limits.write_buffers);
    ASSERT_FALSE(directory.open({}).has_value());
    constexpr int kDirections = 5;
    const std::vector<std::size_t> sizes = {1, 700, tfx::run::StreamDirectory::kWriteBuffer, 5000, 3, 9000, 1};
    std::vector<tfx::stream::StreamDirection> directions;
    std::vector<tfx::stream::StreamSink*> sinks;
    std::vector<std::string> sent(kDirections);
    for (int i = 0; i < kDirections; ++i) {
        directions.push_back({static_cast<tfx::ConversationId>(i + 1), tfx::Role::Client, v4(1, 51000),
                              v4(2, static_cast<std::uint16_t>(80 + i)), 0});
        sinks.push_back(&directory.opened(directions.back()));
    }
    std::size_t most_open = 0;
    for (std::size_t round = 0; round < sizes.size(); ++round) {
        for (int i = 0; i < kDirections; ++i) {
            std::string piece(sizes[round], '\0');
            for (std::size_t k = 0; k < piece.size(); ++k)
                piece[k] = static_cast<char>('a' + (static_cast<std::size_t>(i) * 7 + round + k) % 26);
            sinks[static_cast<std::size_t>(i)]->bytes(sent[static_cast<std::size_t>(i)].size(), as_bytes(piece), 1);
            sent[static_cast<std::size_t>(i)] += piece;
            most_open = std::max(most_open, descriptors_into(dir));
            EXPECT_LE(directory.write_buffers_made(), limits.write_buffers);
        }
    }
    EXPECT_EQ(most_open, expect_most_open);  // streams.json aside
    EXPECT_EQ(directory.files_reopened() > 0, expect_reopened);
    const tfx::stream::StreamTotals totals;
    for (const auto& d : directions) directory.closed(d, {totals, 0});
    directory.finished();
    ASSERT_FALSE(directory.error().has_value()) << directory.error()->message;
    EXPECT_EQ(descriptors_into(dir), 0U);

    const auto rows = nlohmann::json::parse(read_file(dir / "streams.json"));
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(kDirections));
    for (int i = 0; i < kDirections; ++i) {
        const std::string name = "010.000.000.001.51000-010.000.000.002." + fmt::format("{:05}", 80 + i);
        const std::string& expected = sent[static_cast<std::size_t>(i)];
        EXPECT_EQ(expected.size(), 1 + 700 + 4096 + 5000 + 3 + 9000 + 1U);
        EXPECT_EQ(read_file(dir / name), expected) << name;
        EXPECT_EQ(rows[static_cast<std::size_t>(i)]["file"], name);
        EXPECT_EQ(rows[static_cast<std::size_t>(i)]["sha256"], sha256_of(expected)) << name;
    }
}

// Two descriptors for five files: a file closed to make room is reopened to append.
TEST_F(StreamDirectory, FilesClosedToMakeRoomAreReopenedToAppend) {
    write_five_directions_in_turn(fs::weakly_canonical(root / "out"), {2, 5}, 2, true);
}

// Five open files and two write buffers: a buffer taken from a file that stays open writes
// its waiting bytes first, and no more buffers are made.
TEST_F(StreamDirectory, WriteBuffersChangeHandsAtTheirLimit) {
    write_five_directions_in_turn(fs::weakly_canonical(root / "out"), {5, 2}, 5, false);
}

// The bundled captures written with one descriptor for all files, and with as many as the
// limit allows: the same files, byte for byte, and the same streams.json.
TEST_F(StreamDirectory, OneOpenFileWritesWhatUnboundedOpenFilesWrite) {
    std::uint64_t reopened = 0;
    for (const std::string sample :
         {"capture-drop", "half-close", "keepalive", "loss-retrans", "midstream", "port-reuse", "reorder", "rst-abort",
          "simultaneous-close", "simultaneous-open", "tso-offload", "zero-window"}) {
        std::map<std::string, std::string> written[2];
        for (const std::size_t max_open : {std::size_t{1}, std::size_t{0}}) {
            const fs::path dir = root / (sample + "-" + std::to_string(max_open));
            tfx::run::StreamDirectory directory(dir.string(), false, tfx::Language::En, {}, max_open);
            ASSERT_FALSE(directory.open({}).has_value());
            struct : tfx::EventSink {
                void segment(const tfx::AnnotatedSegment& /*seg*/) override {}
                void conversation_closed(const tfx::ConversationSummary& /*summary*/) override {}
            } ignored;
            tfx::stream::ConnectionStreams streams(ignored, directory);
            ASSERT_TRUE(tfx::test::play_sample(sample, streams)) << sample;
            ASSERT_FALSE(directory.error().has_value()) << directory.error()->message;
            if (max_open == 1) reopened += directory.files_reopened();
            written[max_open == 1 ? 0 : 1] = contents(dir);
        }
        EXPECT_GE(written[0].size(), 3U) << sample;  // streams.json and two directions at least
        EXPECT_EQ(written[0], written[1]) << sample;
    }
    EXPECT_GT(reopened, 0U);
}

}  // namespace
