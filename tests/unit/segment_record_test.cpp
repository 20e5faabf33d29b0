// The JSON document's waiting segments are compact records (render/segment_record.hpp): a
// segment read back from its record must print the same JSON and carry every field, even
// when the record reaches the reader cut into pieces anywhere (PendingBytes hands them over
// in 1 MiB pieces).

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "render/json_model.hpp"
#include "render/pending_bytes.hpp"
#include "render/segment_record.hpp"

namespace {

using namespace tfx;
using render::append_segment_record;
using render::PendingBytes;
using render::SegmentRecordReader;

// A segment with every field random (within the ranges the explanations index by), each
// optional set or not, 0..8 annotations, 0..4 state changes, every option kind. `payload`
// backs its payload view.
class RandomSegments {
public:
    explicit RandomSegments(std::uint32_t seed) : rng_(seed) {}

    AnnotatedSegment next(std::vector<std::byte>& payload) {
        AnnotatedSegment s;
        s.frame = wide();
        s.ts = Duration(signed_wide());
        s.since_start = Duration(signed_wide());
        s.since_capture_start = Duration(signed_wide());
        s.conversation = static_cast<ConversationId>(wide());
        s.wire_len = static_cast<std::uint32_t>(wide());
        s.captured_len = static_cast<std::uint32_t>(wide());
        s.has_tcp = coin(9);  // malformed frames too, though the renderer formats those at once
        s.sender = coin() ? Role::Client : Role::Server;
        s.src = endpoint();
        s.dst = endpoint();
        s.ip_version = s.src.addr.version;
        s.ip_id = static_cast<std::uint16_t>(wide());
        s.ttl = static_cast<std::uint8_t>(wide());
        s.flags = static_cast<std::uint16_t>(below(0x200));
        s.seq = static_cast<std::uint32_t>(wide());
        s.ack = static_cast<std::uint32_t>(wide());
        s.rel_seq = static_cast<std::uint32_t>(wide());
        s.rel_ack = static_cast<std::uint32_t>(wide());
        s.payload_len = static_cast<std::uint32_t>(wide());
        s.payload_captured = coin() ? s.payload_len : static_cast<std::uint32_t>(wide());
        s.window_raw = static_cast<std::uint16_t>(wide());
        s.window = wide();
        s.window_scaled = coin();
        s.window_scale_unknown = coin();
        s.urgent = static_cast<std::uint16_t>(wide());
        s.options = options();
        s.meaning = static_cast<SegmentMeaning>(below(static_cast<int>(SegmentMeaning::ZeroWindowProbeAck) + 1));
        s.phase = static_cast<Phase>(below(3));
        s.step = static_cast<std::uint8_t>(below(5));
        s.steps = static_cast<std::uint8_t>(below(5));
        s.change_count = static_cast<std::uint8_t>(below(5));
        for (std::size_t i = 0; i < s.change_count; ++i) {
            s.changes[i] = StateChange{coin() ? Role::Client : Role::Server, state(), state()};
        }
        s.annotation_count = static_cast<std::uint8_t>(below(AnnotatedSegment::kMaxAnnotations + 1));
        for (std::size_t i = 0; i < s.annotation_count; ++i) {
            auto& a = s.annotations[i];
            a.code = static_cast<AnnotationCode>(below(kAnnotationCodeCount));
            a.related = coin() ? 0 : wide();
            if (a.code == AnnotationCode::IllegalTransition) {  // a and b name states there
                a.a = static_cast<std::int64_t>(state());
                a.b = static_cast<std::int64_t>(state());
            } else {
                a.a = signed_wide();
                a.b = signed_wide();
            }
        }
        if (coin()) s.ack_rtt = Duration(signed_wide());
        s.acks_frame = coin() ? 0 : wide();
        if (coin()) s.bytes_in_flight = static_cast<std::uint32_t>(wide());
        if (coin()) {
            auto& st = s.stream.emplace();
            st.offset = wide();
            st.end = wide();
            for (auto* n : {&st.new_bytes, &st.duplicate_bytes, &st.overlapping_bytes, &st.inconsistent_bytes,
                            &st.uncompared_bytes, &st.cut_bytes, &st.beyond_fin_bytes, &st.before_start_bytes})
                *n = static_cast<std::uint32_t>(wide());
        }
        payload.resize(coin() ? 0 : below(coin(5) ? 20000 : 300));
        for (auto& b : payload) b = static_cast<std::byte>(below(256));
        s.payload = payload;
        return s;
    }

private:
    int below(int n) { return static_cast<int>(rng_() % static_cast<std::uint32_t>(n)); }
    bool coin(int one_in = 2) { return below(one_in) == 0; }
    // Numbers of every width: small ones (one varint byte) as often as large ones.
    std::uint64_t wide() {
        const int bits = below(65);
        const std::uint64_t v = (std::uint64_t{rng_()} << 32) | rng_();
        return bits == 64 ? v : v & ((std::uint64_t{1} << bits) - 1);
    }
    std::int64_t signed_wide() {
        const auto v = static_cast<std::int64_t>(wide());
        return coin() ? v : -v;
    }
    TcpState state() { return static_cast<TcpState>(below(kTcpStateCount)); }
    Endpoint endpoint() {
        Endpoint e;
        e.addr.version = coin(3) ? 6 : 4;
        const int n = e.addr.version == 4 ? 4 : 16;
        for (int i = 0; i < n; ++i)
            e.addr.bytes[static_cast<std::size_t>(i)] = coin(4) ? 0 : static_cast<std::uint8_t>(below(256));
        e.port = static_cast<std::uint16_t>(below(65536));
        return e;
    }
    TcpOptions options() {
        static constexpr std::uint8_t kKinds[] = {tcpopt::kEol,
                                                  tcpopt::kNop,
                                                  tcpopt::kMss,
                                                  tcpopt::kWindowScale,
                                                  tcpopt::kSackPermitted,
                                                  tcpopt::kSack,
                                                  tcpopt::kTimestamps,
                                                  tcpopt::kMd5,
                                                  tcpopt::kAuthentication,
                                                  tcpopt::kMptcp,
                                                  tcpopt::kFastOpen,
                                                  tcpopt::kExperimental,
                                                  77,
                                                  200};
        TcpOptions o;
        o.count = static_cast<std::uint8_t>(coin(4) ? 0 : below(TcpOptions::kMaxEntries + 1));
        for (std::size_t i = 0; i < o.count; ++i) o.kinds[i] = kKinds[below(static_cast<int>(std::size(kKinds)))];
        if (coin()) o.mss = static_cast<std::uint16_t>(wide());
        if (coin()) o.window_scale = static_cast<std::uint8_t>(wide());
        o.sack_permitted = coin();
        o.sack_count = static_cast<std::uint8_t>(below(5));
        for (std::size_t i = 0; i < o.sack_count; ++i)
            o.sack[i] = SackBlock{static_cast<std::uint32_t>(wide()), static_cast<std::uint32_t>(wide())};
        if (coin())
            o.timestamps = TimestampOption{static_cast<std::uint32_t>(wide()), static_cast<std::uint32_t>(wide())};
        o.fast_open = coin();
        o.fast_open_cookie_len = static_cast<std::uint8_t>(below(17));
        o.truncated = coin(5);
        o.malformed = coin(5);
        return o;
    }

    std::mt19937 rng_;
};

// The segment object as the JSON renderers print it.
std::string segment_json(const AnnotatedSegment& s, const RenderOptions& o) {
    fmt::memory_buffer out;
    render::JsonWriter w(out, 2);
    w.begin_object();
    render::write_segment_fields(w, s, o);
    w.end_object();
    return fmt::to_string(out);
}

RenderOptions options_with(PayloadMode payload, bool absolute_seq) {
    RenderOptions o;
    o.payload = payload;
    o.absolute_seq = absolute_seq;
    return o;
}

// Every field, including those the JSON does not print (yet): the record carries them all.
void expect_same_segment(const AnnotatedSegment& a, const AnnotatedSegment& b) {
    EXPECT_EQ(a.frame, b.frame);
    EXPECT_EQ(a.ts, b.ts);
    EXPECT_EQ(a.since_start, b.since_start);
    EXPECT_EQ(a.since_capture_start, b.since_capture_start);
    EXPECT_EQ(a.conversation, b.conversation);
    EXPECT_EQ(a.wire_len, b.wire_len);
    EXPECT_EQ(a.captured_len, b.captured_len);
    EXPECT_EQ(a.has_tcp, b.has_tcp);
    EXPECT_EQ(a.sender, b.sender);
    EXPECT_TRUE(a.src == b.src);
    EXPECT_TRUE(a.dst == b.dst);
    EXPECT_EQ(a.ip_version, b.ip_version);
    EXPECT_EQ(a.ip_id, b.ip_id);
    EXPECT_EQ(a.ttl, b.ttl);
    EXPECT_EQ(a.flags, b.flags);
    EXPECT_EQ(a.seq, b.seq);
    EXPECT_EQ(a.ack, b.ack);
    EXPECT_EQ(a.rel_seq, b.rel_seq);
    EXPECT_EQ(a.rel_ack, b.rel_ack);
    EXPECT_EQ(a.payload_len, b.payload_len);
    EXPECT_EQ(a.payload_captured, b.payload_captured);
    EXPECT_EQ(a.window_raw, b.window_raw);
    EXPECT_EQ(a.window, b.window);
    EXPECT_EQ(a.window_scaled, b.window_scaled);
    EXPECT_EQ(a.window_scale_unknown, b.window_scale_unknown);
    EXPECT_EQ(a.urgent, b.urgent);
    EXPECT_EQ(a.options.count, b.options.count);
    EXPECT_TRUE(a.options.kinds == b.options.kinds);
    EXPECT_EQ(a.options.mss, b.options.mss);
    EXPECT_EQ(a.options.window_scale, b.options.window_scale);
    EXPECT_EQ(a.options.sack_permitted, b.options.sack_permitted);
    EXPECT_EQ(a.options.sack_count, b.options.sack_count);
    EXPECT_TRUE(a.options.sack == b.options.sack);
    EXPECT_EQ(a.options.timestamps, b.options.timestamps);
    EXPECT_EQ(a.options.fast_open, b.options.fast_open);
    EXPECT_EQ(a.options.fast_open_cookie_len, b.options.fast_open_cookie_len);
    EXPECT_EQ(a.options.truncated, b.options.truncated);
    EXPECT_EQ(a.options.malformed, b.options.malformed);
    EXPECT_EQ(a.meaning, b.meaning);
    EXPECT_EQ(a.phase, b.phase);
    EXPECT_EQ(a.step, b.step);
    EXPECT_EQ(a.steps, b.steps);
    ASSERT_EQ(a.change_count, b.change_count);
    for (std::size_t i = 0; i < a.change_count; ++i) {
        EXPECT_EQ(a.changes[i].endpoint, b.changes[i].endpoint);
        EXPECT_EQ(a.changes[i].from, b.changes[i].from);
        EXPECT_EQ(a.changes[i].to, b.changes[i].to);
    }
    ASSERT_EQ(a.annotation_count, b.annotation_count);
    for (std::size_t i = 0; i < a.annotation_count; ++i) {
        EXPECT_EQ(a.annotations[i].code, b.annotations[i].code);
        EXPECT_EQ(a.annotations[i].related, b.annotations[i].related);
        EXPECT_EQ(a.annotations[i].a, b.annotations[i].a);
        EXPECT_EQ(a.annotations[i].b, b.annotations[i].b);
    }
    EXPECT_EQ(a.ack_rtt, b.ack_rtt);
    EXPECT_EQ(a.acks_frame, b.acks_frame);
    EXPECT_EQ(a.bytes_in_flight, b.bytes_in_flight);
    EXPECT_EQ(a.stream, b.stream);
}

std::string_view bytes_of(std::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// A segment as the analysis makes most of them: a data segment's ACK with timestamps.
AnnotatedSegment typical_ack() {
    AnnotatedSegment s;
    s.frame = 734'512;
    s.ts = Duration(1'732'600'000'123'456'789);
    s.since_start = Duration(1'234'567);
    s.conversation = 65'432;
    s.wire_len = 66;
    s.captured_len = 66;
    s.has_tcp = true;
    s.sender = Role::Server;
    s.src.addr.version = s.dst.addr.version = 4;
    s.src.addr.bytes = {10, 1, 200, 17};
    s.dst.addr.bytes = {10, 2, 3, 250};
    s.src.port = 443;
    s.dst.port = 51'234;
    s.ip_version = 4;
    s.ip_id = 40'000;
    s.ttl = 64;
    s.flags = tcpflag::kAck;
    s.seq = 3'000'000'001;
    s.ack = 1'500'014'001;
    s.rel_seq = 1;
    s.rel_ack = 14'001;
    s.window_raw = 501;
    s.window = 64'128;
    s.window_scaled = true;
    s.options.count = 3;
    s.options.kinds = {tcpopt::kNop, tcpopt::kNop, tcpopt::kTimestamps};
    s.options.timestamps = TimestampOption{2'124'558'544, 770'494'425};
    s.meaning = SegmentMeaning::Ack;
    s.ack_rtt = Duration(181'000);
    s.acks_frame = 734'509;
    return s;
}

TEST(SegmentRecord, RoundTripKeepsEveryFieldAndTheJson) {
    RandomSegments random(2026);
    std::vector<std::byte> payload;
    for (int i = 0; i < 3000; ++i) {
        const AnnotatedSegment s = random.next(payload);
        std::string record;
        append_segment_record(record, s, true);
        SegmentRecordReader reader;
        reader.feed(record);
        const AnnotatedSegment* back = reader.next();
        ASSERT_NE(back, nullptr) << "segment " << i;
        expect_same_segment(s, *back);
        EXPECT_EQ(bytes_of(back->payload), bytes_of(s.payload));
        for (const auto payload_mode : {PayloadMode::None, PayloadMode::HexAscii})
            for (const bool absolute : {false, true}) {
                const RenderOptions o = options_with(payload_mode, absolute);
                ASSERT_EQ(segment_json(*back, o), segment_json(s, o)) << "segment " << i;
            }
        EXPECT_EQ(reader.next(), nullptr);
        EXPECT_FALSE(reader.mid_record());
        if (HasFailure()) break;  // one segment's report is enough
    }
}

TEST(SegmentRecord, PayloadIsStoredOnlyWhenAsked) {
    RandomSegments random(11);
    std::vector<std::byte> payload;
    int with_payload = 0;
    for (int i = 0; i < 500; ++i) {
        const AnnotatedSegment s = random.next(payload);
        std::string with, without;
        append_segment_record(with, s, true);
        append_segment_record(without, s, false);
        EXPECT_GE(with.size() - without.size(), s.payload.size());
        SegmentRecordReader reader;
        reader.feed(without);
        const AnnotatedSegment* back = reader.next();
        ASSERT_NE(back, nullptr);
        EXPECT_TRUE(back->payload.empty());
        EXPECT_EQ(back->payload_captured, s.payload_captured);  // the lengths stay
        const RenderOptions o = options_with(PayloadMode::None, false);
        EXPECT_EQ(segment_json(*back, o), segment_json(s, o));
        with_payload += !s.payload.empty();
    }
    EXPECT_GT(with_payload, 100);
}

TEST(SegmentRecord, TypicalSegmentIsAboutATenthOfItsJson) {
    const AnnotatedSegment s = typical_ack();
    std::string record;
    append_segment_record(record, s, false);
    fmt::memory_buffer json;
    render::JsonWriter w(json, 2, 2, 4);  // as the document indents it
    w.begin_object();
    render::write_segment_fields(w, s, RenderOptions{});
    w.end_object();
    EXPECT_LE(record.size(), 110u);
    EXPECT_GE(json.size(), 10 * record.size())
        << record.size() << " record bytes for " << json.size() << " bytes of JSON";
}

// Records of many sizes (one-byte to three-byte length prefixes) in one stream, fed in
// pieces of random sizes from 1 byte up: every cut, inside a prefix or a body, is met.
TEST(SegmentRecord, RecordsCutAnywhereByPiecesComeBackWhole) {
    RandomSegments random(5);
    std::vector<std::byte> payload;
    std::vector<std::string> expected_json;
    std::string stream;
    const RenderOptions o = options_with(PayloadMode::HexAscii, false);
    for (int i = 0; i < 400; ++i) {
        const AnnotatedSegment s = random.next(payload);
        append_segment_record(stream, s, true);
        expected_json.push_back(segment_json(s, o));
    }
    std::mt19937 rng(9);
    for (int round = 0; round < 20; ++round) {
        SegmentRecordReader reader;
        std::size_t decoded = 0;
        for (std::size_t at = 0; at < stream.size();) {
            const std::size_t most = round == 0 ? 1 : std::size_t{1} << (rng() % 16);
            const std::size_t n = std::min<std::size_t>(stream.size() - at, 1 + rng() % most);
            const std::string piece = stream.substr(at, n);  // a copy: gone after this piece, as a spill buffer is
            at += n;
            reader.feed(piece);
            while (const AnnotatedSegment* s = reader.next()) {
                ASSERT_LT(decoded, expected_json.size());
                ASSERT_EQ(segment_json(*s, o), expected_json[decoded]) << "record " << decoded << ", round " << round;
                ++decoded;
            }
        }
        EXPECT_EQ(decoded, expected_json.size());
        EXPECT_FALSE(reader.mid_record());
    }
}

// Through the store itself: its 1 MiB pieces cut records, both those read back from the spill
// file (a spilled tail larger than a piece) and those of the tail still in memory.
TEST(SegmentRecord, RecordsComeBackWholeThroughPendingBytes) {
    RandomSegments random(77);
    std::vector<std::byte> payload;
    PendingBytes pending(3 << 20);  // two connections' tails pass a piece before they spill
    constexpr ConversationId kConnections = 2;
    std::vector<std::string> expected_json[kConnections];
    const RenderOptions o = options_with(PayloadMode::HexAscii, true);
    for (int i = 0; i < 8000; ++i) {
        const ConversationId id = static_cast<ConversationId>(i % kConnections + 1);
        const AnnotatedSegment s = random.next(payload);
        std::string record;
        append_segment_record(record, s, true);
        pending.append(id, record);
        expected_json[id - 1].push_back(segment_json(s, o));
    }
    EXPECT_GT(pending.bytes_spilled(), 2 * PendingBytes::kPieceSize);
    for (ConversationId id = 1; id <= kConnections; ++id) {
        SegmentRecordReader reader;
        std::size_t decoded = 0, pieces = 0, cut_records = 0;
        pending.take(id, [&](std::string_view piece) {
            ++pieces;
            reader.feed(piece);
            while (const AnnotatedSegment* s = reader.next()) {
                ASSERT_LT(decoded, expected_json[id - 1].size());
                EXPECT_EQ(segment_json(*s, o), expected_json[id - 1][decoded]) << "record " << decoded;
                ++decoded;
            }
            cut_records += reader.mid_record();
        });
        EXPECT_GE(pieces, 3u);
        EXPECT_GE(cut_records, 2u);  // the test does meet records cut by the store's pieces
        EXPECT_EQ(decoded, expected_json[id - 1].size());
        EXPECT_FALSE(reader.mid_record());
    }
}

TEST(SegmentRecord, DamagedRecordsAreRefused) {
    std::string record;
    append_segment_record(record, typical_ack(), false);
    ASSERT_LT(record.size(), 128u);  // a one-byte length prefix, which the cases below rewrite
    const std::string body = record.substr(1);
    const auto with_length = [](std::size_t length, std::string_view bytes) {
        return std::string(1, static_cast<char>(length)) + std::string(bytes);
    };

    SegmentRecordReader cut;  // the stream ends inside a record: nothing made up, and it says so
    cut.feed(std::string_view(record).substr(0, record.size() - 1));
    EXPECT_EQ(cut.next(), nullptr);
    EXPECT_TRUE(cut.mid_record());

    SegmentRecordReader extra;  // a body longer than its fields
    const std::string longer = with_length(body.size() + 1, body + '\0');
    extra.feed(longer);
    EXPECT_THROW((void)extra.next(), std::runtime_error);

    SegmentRecordReader early;  // a body shorter than its fields
    const std::string shorter = with_length(body.size() - 4, std::string_view(body).substr(0, body.size() - 4));
    early.feed(shorter);
    EXPECT_THROW((void)early.next(), std::runtime_error);
}

}  // namespace

// Random bytes, and real records with random bytes flipped: the reader returns segments or
// throws, never reads out of bounds (the sanitizer suite runs this too) and never hangs.
TEST(SegmentRecord, RandomBytesNeverCrash) {
    std::mt19937_64 rng(7);
    std::string real;
    for (int i = 0; i < 20; ++i) append_segment_record(real, typical_ack(), i % 2 == 0);
    int refused = 0, read = 0;
    for (int trial = 0; trial < 20'000; ++trial) {
        std::string bytes;
        if (trial % 2 == 0) {
            bytes.resize(rng() % 300);
            for (char& c : bytes) c = static_cast<char>(rng());
        } else {
            bytes = real;
            for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips)
                bytes[rng() % bytes.size()] = static_cast<char>(rng());
        }
        SegmentRecordReader reader;
        try {
            std::size_t offset = 0;
            while (offset < bytes.size()) {  // in random pieces, as the pending store hands them over
                const std::size_t piece = std::min<std::size_t>(1 + rng() % 64, bytes.size() - offset);
                reader.feed(std::string_view(bytes).substr(offset, piece));
                offset += piece;
                while (reader.next() != nullptr) ++read;
            }
        } catch (const std::runtime_error&) {
            ++refused;
        }
    }
    EXPECT_GT(refused, 1000);  // damage is noticed...
    EXPECT_GT(read, 1000);     // ...and flipped bytes inside values still decode
}
