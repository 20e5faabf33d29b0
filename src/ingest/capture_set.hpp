#pragma once
// Module note: ingest / several files read as one capture
//   Purpose: `-r A -r B ...` and `--file-list`: rotated capture files (tcpdump -G/-C, dumpcap
//   ring buffers) read as one capture, so that a connection crossing a file boundary is one
//   connection.
//   Order: packet by packet by timestamp, as mergecap merges; packets with equal timestamps
//   keep the order of the files as given, and a file's own packets keep their order. Frame
//   numbers are positions in that merged sequence (a BPF filter skips frames without
//   renumbering the rest, as in one file). Each packet keeps its own link type.
//   Files are opened twice: once at open() to check every header (and the filter) and to
//   learn each file's first timestamp, then again when the merge reaches that timestamp, and
//   closed at their end, so a directory of rotated files holds one or two files open at a
//   time, not all of them.
//   Errors: a missing or damaged file (header) fails open() with its message naming the
//   file; with keep_going it is skipped and listed in skipped(). A file whose records end
//   in damage (or that vanished since open()) ends early; the others go on, and next()
//   returns Truncated (its message names the file) once they are all read.
//   One input (a file, stdin or a live interface) is read straight through its PcapReader.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ingest/pcap_reader.hpp"
#include "ingest/read_status.hpp"
#include "tfx/frame_files.hpp"
#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx::ingest {

class CaptureSet {
public:
    /// A file left out of the capture (keep_going) and why.
    struct Skipped {
        std::string path;
        Error reason;
    };

    /// One input, read as it is.
    explicit CaptureSet(PcapReader single);
    /// Several files (at least two), merged. `filter` (may be empty) is checked against each
    /// file: refused (BadFilter) only when it applies to none of them. Errors: as
    /// PcapReader::open_file for the first bad file (without keep_going), Usage when
    /// keep_going leaves no file.
    [[nodiscard]] static Result<CaptureSet> open_files(const std::vector<std::string>& paths, const std::string& filter,
                                                       bool keep_going);

    CaptureSet(CaptureSet&&) noexcept;
    CaptureSet& operator=(CaptureSet&&) noexcept;
    CaptureSet(const CaptureSet&) = delete;
    CaptureSet& operator=(const CaptureSet&) = delete;
    ~CaptureSet();

    /// As PcapReader::next; with several files, index = the frame's number in the merged
    /// sequence, and the frame's bytes stay valid until the next call.
    [[nodiscard]] ReadStatus next(RawFrame& out, std::string& message) {
        if (merge_ == nullptr) return single_->next(out, message);
        return next_merged(out, message);
    }
    /// After next() returned Truncated or Error: why, to be said in any language, when the
    /// reader can tell (PcapReader::problem()). Several files: the first file that ended
    /// early, named (its damage, or its message as worded, or its failure to open again).
    [[nodiscard]] std::optional<Error> problem() const;

    /// One input: PcapReader::set_filter. Several files: the filter given to open_files()
    /// already applies.
    [[nodiscard]] Result<bool> set_filter(const std::string& bpf);
    /// The input of one: its reader (live statistics, describe_capture). Several: the first
    /// file's, which reads nothing (its link type, snaplen and format describe the set).
    [[nodiscard]] PcapReader& first();
    [[nodiscard]] bool several() const { return merge_ != nullptr; }
    /// The files read, as given (skipped ones left out); empty for one input.
    [[nodiscard]] std::vector<std::string> files() const;
    [[nodiscard]] const std::vector<Skipped>& skipped() const;
    /// Every link type of every file, distinct, in order of first appearance.
    [[nodiscard]] std::vector<int> link_types() const;
    /// Several files: which of files() each frame next() returned came from, filled as they
    /// are read. One input: null.
    [[nodiscard]] std::shared_ptr<const FrameFiles> frame_files() const;

    /// As PcapReader's: -w writes the merged frames (several files: they must share one
    /// link type) and refuses to be any file read.
    [[nodiscard]] Result<bool> open_dump(const std::string& path);
    void dump(const RawFrame& frame) { first().dump(frame); }
    void close_dump() { first().close_dump(); }
    /// Every file read (one, or each of several; none for a live capture): no output may be
    /// one of them (ingest::refuse_input).
    [[nodiscard]] std::vector<FileIdentity> input_identities() const;
    void break_loop() noexcept;

private:
    struct Merge;
    CaptureSet() = default;
    [[nodiscard]] ReadStatus next_merged(RawFrame& out, std::string& message);

    std::optional<PcapReader> single_;
    std::unique_ptr<Merge> merge_;
};

}  // namespace tfx::ingest
