// The public capture API (tfx/capture.hpp): CaptureReader and analyze_file.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/scratch_dir.hpp"
#include "tfx/capture.hpp"

namespace {

using tfx::AnnotatedSegment;
using tfx::CaptureReader;
using tfx::ConversationSummary;
using tfx::ErrorKind;
using tfx::RawFrame;

const std::string kSample = TFX_SOURCE_DIR "/samples/loss-retrans.pcap";

// Keeps what a renderer would see.
struct Recorder final : tfx::EventSink {
    void capture_started(const tfx::CaptureInfo& i) override { info = i; }
    void segment(const AnnotatedSegment& seg) override { frames.push_back(seg.frame); }
    void conversation_closed(const ConversationSummary& s) override { histories.push_back(s.history); }
    void capture_finished(const tfx::CaptureSummary& s) override { summary = s; }
    tfx::CaptureInfo info;
    std::vector<tfx::FrameIndex> frames;
    std::vector<std::string> histories;
    tfx::CaptureSummary summary;
};

TEST(CaptureReader, ReadsEveryFrameInOrderAndDescribesTheFile) {
    auto opened = CaptureReader::open(kSample);
    ASSERT_TRUE(opened) << opened.error().message;
    CaptureReader& capture = opened.value();
    EXPECT_EQ(capture.info().source, "loss-retrans.pcap");
    EXPECT_EQ(capture.info().format, "pcap");
    ASSERT_EQ(capture.info().link_types.size(), 1U);
    RawFrame frame;
    std::uint64_t count = 0;
    while (capture.next(frame)) {
        ++count;
        EXPECT_EQ(frame.index, count);
        EXPECT_EQ(frame.data.size(), frame.caplen);
    }
    EXPECT_GT(count, 10U);
    EXPECT_EQ(capture.problem(), "");
    EXPECT_FALSE(capture.next(frame));  // stays ended
}

TEST(CaptureReader, OpeningErrorsSayWhatIsWrong) {
    const auto missing = CaptureReader::open(TFX_SOURCE_DIR "/samples/no-such-file.pcap");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::CannotOpen);
    const auto not_capture = CaptureReader::open(TFX_SOURCE_DIR "/samples/README.md");
    ASSERT_FALSE(not_capture);
    EXPECT_EQ(not_capture.error().kind, ErrorKind::NotACapture);
    const auto bad_filter = CaptureReader::open(kSample, "tcp port");
    ASSERT_FALSE(bad_filter);
    EXPECT_EQ(bad_filter.error().kind, ErrorKind::BadFilter);
}

TEST(CaptureReader, FilterKeepsOnlyMatchingFrames) {
    auto opened = CaptureReader::open(kSample, "udp");
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(opened->info().filter, "udp");
    RawFrame frame;
    EXPECT_FALSE(opened->next(frame));
}

class CaptureFileTest : public tfx::test::ScratchDirTest {};

TEST_F(CaptureFileTest, AFileCutInsideARecordEndsWithAProblem) {
    const auto size = std::filesystem::file_size(kSample);
    std::filesystem::copy_file(kSample, path("cut.pcap"));
    std::filesystem::resize_file(path("cut.pcap"), size - 5);
    auto opened = CaptureReader::open(path("cut.pcap"));
    ASSERT_TRUE(opened) << opened.error().message;
    RawFrame frame;
    while (opened->next(frame)) {}
    EXPECT_NE(opened->problem(), "");

    Recorder recorder;
    const auto summary = tfx::analyze_file(path("cut.pcap"), tfx::Options{}, recorder);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_TRUE(summary->truncated);
    EXPECT_EQ(summary->truncation_message, opened->problem());
}

TEST(AnalyzeFile, GivesTheSinkWhatASessionOverTheReaderGives) {
    Recorder by_hand;
    {
        auto capture = CaptureReader::open(kSample);
        ASSERT_TRUE(capture) << capture.error().message;
        tfx::Session session(tfx::Options{}, by_hand);
        session.start(capture->info());
        RawFrame frame;
        while (capture->next(frame)) session.feed(frame);
        session.finish(capture->problem());
    }
    Recorder recorder;
    const auto summary = tfx::analyze_file(kSample, tfx::Options{}, recorder);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(recorder.info.source, "loss-retrans.pcap");
    EXPECT_EQ(recorder.frames, by_hand.frames);
    EXPECT_EQ(recorder.histories, by_hand.histories);
    EXPECT_EQ(summary->frames, by_hand.summary.frames);
    EXPECT_EQ(summary->frames, recorder.summary.frames);
    EXPECT_EQ(summary->conversations, 1U);
    EXPECT_FALSE(summary->truncated);
}

TEST(AnalyzeFile, AnErrorReachesTheCallerAndNothingTheSink) {
    Recorder recorder;
    const auto summary = tfx::analyze_file(TFX_SOURCE_DIR "/samples/no-such-file.pcap", tfx::Options{}, recorder);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().kind, ErrorKind::CannotOpen);
    EXPECT_TRUE(recorder.info.source.empty());
    EXPECT_EQ(recorder.summary.frames, 0U);
}

}  // namespace
