// Files of a stream directory (ingest/output_file.hpp: open_output_directory,
// create_file_in): created inside the directory only, never through a link, never over an
// existing file unless asked.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/output_file.hpp"

namespace {

namespace fs = std::filesystem;
using tfx::ErrorKind;
using tfx::ingest::create_file_in;
using tfx::ingest::open_output_directory;

class StreamDirectory : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("tfx-stream-dir-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
    }
    void TearDown() override { fs::remove_all(root); }

    static std::string read(const fs::path& p) {
        std::ifstream in(p);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

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
    EXPECT_EQ(read(dir / "010.000.000.001.51000-010.000.000.002.00080"), "GET");
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
    EXPECT_EQ(read(root / "f"), "old");
    auto replaced = create_file_in(d.value(), "f", "w", true);
    ASSERT_TRUE(replaced.ok()) << replaced.error().message;
    ::close(replaced.value());
    ::close(d.value());
    EXPECT_EQ(read(root / "f"), "");
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
    EXPECT_EQ(read(root / "target"), "precious");
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

}  // namespace
