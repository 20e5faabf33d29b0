#pragma once
// A compact binary record of one AnnotatedSegment, for the JSON document's waiting segments.
//
// Why it exists: the document nests each connection's segments inside the connection, which
// is written only when the connection is finalised (5 s of capture time after it closes), so
// every segment waits. Waiting as formatted JSON would cost ~1.5 KB a segment, and on big
// captures nearly all of it would go through the spill file (pending_bytes.hpp): ~15 GB on
// the 10M-packet benchmark, where the kernel's writeback throttling makes the run nonlinear. A record is
// ~100-150 bytes (varints, only the used annotations, state changes and options, the payload
// only when the output shows it). The JSON is formatted from the decoded segment when the
// connection is written, so the record only has to carry what the JSON shows.
//
// Format: a varint body length, then the body. The field list is in one place
// (transfer_segment in segment_record.cpp), used both to write and to read, so the two cannot
// disagree; static_asserts there on the member count and sizeof of AnnotatedSegment (and of
// the structs inside it) break the build when a field is added, until the codec carries it. Records live only inside one run (memory and an
// unnamed temporary file): the format is not stable and has no version.

#include <cstddef>
#include <string>
#include <string_view>

#include "tfx/segment.hpp"

namespace tfx::render {

/// Appends the record of `s` to `out`. `with_payload`: include the captured payload bytes
/// (only when the output shows them, `-A`/`-X`); otherwise the decoded segment has none.
void append_segment_record(std::string& out, const AnnotatedSegment& s, bool with_payload);

/// Reads records back from a byte stream handed over in pieces that may cut a record
/// (or its length prefix) anywhere: the bytes of a cut record wait for the next piece.
///
///     reader.feed(piece);
///     while (const AnnotatedSegment* s = reader.next()) use(*s);
///
/// Throws std::runtime_error on bytes that are not a well-formed record (a corrupted spill
/// file or a codec bug), rather than printing a wrong segment.
class SegmentRecordReader {
public:
    /// Continues the stream with `piece`, which must stay valid until next() returns null.
    void feed(std::string_view piece);
    /// The next complete record's segment, or null when the fed bytes are used up. The
    /// segment (and its payload view) is valid until the next call of next() or feed().
    [[nodiscard]] const AnnotatedSegment* next();
    /// A record was cut at the end of the last piece and waits for the rest.
    [[nodiscard]] bool mid_record() const { return !partial_.empty() && !partial_done_; }

private:
    const AnnotatedSegment* decode(std::string_view body);

    std::string_view piece_;     ///< what is left of the piece being read
    std::string partial_;        ///< a record cut by a piece boundary, being completed
    bool partial_done_ = false;  ///< partial_ holds the record just decoded (its payload view)
    AnnotatedSegment segment_;
};

}  // namespace tfx::render
