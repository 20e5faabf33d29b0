// The numbering of one connection (tcp/numbering): relative bases the way tshark sets them,
// window scaling (RFC 7323 §2.2), and the highest byte and ACK per direction as 64-bit
// offsets that keep counting across the 2^32 wrap (RFC 9293 §3.4's modular comparison).

#include <gtest/gtest.h>

#include <cstdint>

#include "tcp/numbering.hpp"

using namespace tfx;
using namespace tfx::tcpflag;
using tcp::Numbering;

namespace {
constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t k4GiB = std::uint64_t{1} << 32;

// The sequence number at `offset` from `base` (offsets past 2^32 wrap).
std::uint32_t seq_at(std::uint32_t base, std::uint64_t offset) { return static_cast<std::uint32_t>(base + offset); }

// A client whose SYN has seq `isn`: the client's base is `isn`.
Numbering after_client_syn(std::uint32_t isn) {
    Numbering n;
    n.number(Role::Client, kSyn, isn, 0);
    return n;
}
}  // namespace

TEST(Numbering, a_syn_sets_its_senders_base_to_its_seq) {
    Numbering n;
    const auto syn = n.number(Role::Client, kSyn, 1000, 0);
    EXPECT_TRUE(n.has_base(Role::Client));
    EXPECT_EQ(n.base(Role::Client), 1000u);
    EXPECT_EQ(syn.seq, 0u);
    EXPECT_FALSE(syn.isn_inferred);
    EXPECT_EQ(syn.ack, 0u) << "no ACK bit: the raw field";
    EXPECT_FALSE(n.has_base(Role::Server)) << "a SYN without ACK teaches nothing of the peer";
    const auto synack = n.number(Role::Server, kSyn | kAck, 7000, 1001);
    EXPECT_EQ(n.base(Role::Server), 7000u);
    EXPECT_EQ(synack.seq, 0u);
    EXPECT_EQ(synack.ack, 1u);
}

TEST(Numbering, a_first_segment_without_syn_sets_the_base_to_its_seq_minus_one) {
    Numbering n;
    const auto first = n.number(Role::Server, kAck | kPsh, 5000, 300);
    EXPECT_EQ(n.base(Role::Server), 4999u);
    EXPECT_EQ(first.seq, 1u);
    EXPECT_TRUE(first.isn_inferred);
    // Its ACK sets the peer's base too: the peer's first ack - 1.
    EXPECT_EQ(n.base(Role::Client), 299u);
    EXPECT_EQ(first.ack, 1u);
    // The peer's own first segment keeps that base: it was set, not inferred again.
    const auto reply = n.number(Role::Client, kAck, 310, 5100);
    EXPECT_EQ(reply.seq, 11u);
    EXPECT_FALSE(reply.isn_inferred);
    EXPECT_EQ(reply.ack, 101u);
}

TEST(Numbering, a_base_wraps_below_zero_when_the_first_seq_is_zero) {
    Numbering n;
    const auto first = n.number(Role::Client, kAck, 0, 10);
    EXPECT_EQ(n.base(Role::Client), 0xFFFFFFFFu);
    EXPECT_EQ(first.seq, 1u);
}

TEST(Numbering, a_syn_ack_with_another_seq_names_the_real_isn) {
    Numbering n;
    n.number(Role::Server, kAck, 5000, 101);  // mid-stream guess: base 4999
    const auto synack = n.number(Role::Server, kSyn | kAck, 9000, 101);
    EXPECT_EQ(n.base(Role::Server), 9000u);
    EXPECT_EQ(synack.seq, 0u);
    EXPECT_FALSE(synack.isn_inferred);
}

TEST(Numbering, the_window_is_scaled_only_when_both_syns_carried_the_option) {
    Numbering both = after_client_syn(100);
    both.note_syn(Role::Client, 7);
    both.number(Role::Server, kSyn | kAck, 500, 101);
    both.note_syn(Role::Server, 2);
    const auto synack_window = both.window(Role::Server, kSyn | kAck, 1000);
    EXPECT_FALSE(synack_window.scaled) << "RFC 7323 §2.2: a SYN's window is never scaled";
    EXPECT_EQ(synack_window.value, 1000u);
    const auto client = both.window(Role::Client, kAck, 100);
    EXPECT_TRUE(client.scaled);
    EXPECT_EQ(client.value, 100u * 128u);  // the client's own shift, 7
    EXPECT_EQ(both.window(Role::Server, kAck, 100).value, 100u * 4u);

    Numbering one = after_client_syn(100);
    one.note_syn(Role::Client, 7);
    one.note_syn(Role::Server, std::nullopt);  // the SYN-ACK carried no window scale
    const auto unscaled = one.window(Role::Client, kAck, 100);
    EXPECT_FALSE(unscaled.scaled);
    EXPECT_EQ(unscaled.value, 100u);
    EXPECT_FALSE(unscaled.scale_unknown) << "both SYNs seen: known to be unscaled";
}

TEST(Numbering, a_shift_above_14_is_taken_as_14) {
    Numbering n;
    n.note_syn(Role::Client, 20);
    n.note_syn(Role::Server, 0);
    EXPECT_EQ(n.window(Role::Client, kAck, 1).value, std::uint64_t{1} << 14);  // RFC 7323 §2.3
}

TEST(Numbering, the_shift_is_unknown_without_the_syns) {
    Numbering none;
    EXPECT_TRUE(none.window(Role::Client, kAck, 100).scale_unknown);
    EXPECT_FALSE(none.window(Role::Client, kRst, 0).scale_unknown) << "a RST's window means nothing";
    Numbering synack_only;
    synack_only.note_syn(Role::Server, 3);  // the client's SYN, with its shift, was missed
    const auto w = synack_only.window(Role::Client, kAck, 100);
    EXPECT_TRUE(w.scale_unknown);
    EXPECT_FALSE(w.scaled);
}

// Segments of 1000 bytes at offsets 1, 1 + 1 GiB, 1 + 2 GiB, 1 + 3 GiB: each a step of 1 GiB
// (less than 2^31), so each is new. Past 2 GiB the 32-bit relative number turns negative as
// a signed value; the count does not.
TEST(Numbering, unique_bytes_count_past_two_gibibytes) {
    const std::uint32_t isn = 0x10000000u;
    Numbering n = after_client_syn(isn);
    for (std::uint64_t k = 0; k < 4; ++k) n.note_bytes(Role::Client, seq_at(isn, 1 + k * kGiB), 1000);
    EXPECT_EQ(n.highest_end(Role::Client), 1 + 3 * kGiB + 1000);
    EXPECT_EQ(n.unique_bytes(Role::Client), 3 * kGiB + 1000);  // 3221226472
    EXPECT_EQ(n.unique_bytes(Role::Server), 0u);
}

// Going on to offsets 1 + 4 GiB and 1 + 5 GiB: the sequence numbers wrap (1 + 4 GiB is the
// seq of offset 1 again), the offsets keep growing.
TEST(Numbering, unique_bytes_count_across_the_four_gibibyte_wrap) {
    const std::uint32_t isn = 0xF0000000u;  // the sequence numbers wrap early as well
    Numbering n = after_client_syn(isn);
    for (std::uint64_t k = 0; k <= 5; ++k) n.note_bytes(Role::Client, seq_at(isn, 1 + k * kGiB), 1000);
    EXPECT_EQ(n.highest_end(Role::Client), 1 + 5 * kGiB + 1000);
    EXPECT_EQ(n.unique_bytes(Role::Client), 5 * kGiB + 1000);  // 5368710120
}

// RFC 9293 §3.4: with 32-bit numbers, a step of 2^31 cannot be told ahead from behind; it is
// not taken as new. 2^31 - 1 is.
TEST(Numbering, a_step_of_two_to_the_31_is_not_new_data) {
    Numbering n = after_client_syn(0);
    n.note_bytes(Role::Client, 1, 100);  // highest end 101
    n.note_bytes(Role::Client, seq_at(0, 101 + (std::uint64_t{1} << 31) - 100), 100);
    EXPECT_EQ(n.highest_end(Role::Client), 101u) << "end exactly 2^31 ahead";
    n.note_bytes(Role::Client, seq_at(0, 100 + (std::uint64_t{1} << 31) - 100), 100);
    EXPECT_EQ(n.highest_end(Role::Client), 100 + (std::uint64_t{1} << 31)) << "end 2^31 - 1 ahead";
}

TEST(Numbering, an_old_retransmission_does_not_move_the_highest_byte) {
    const std::uint32_t isn = 12345;
    Numbering n = after_client_syn(isn);
    for (std::uint64_t k = 0; k <= 5; ++k) n.note_bytes(Role::Client, seq_at(isn, 1 + k * kGiB), 1000);
    const std::uint64_t highest = n.highest_end(Role::Client);
    // The first segment again: 5 GiB behind, that is 1 GiB behind modulo 2^32.
    n.note_bytes(Role::Client, seq_at(isn, 1), 1000);
    EXPECT_EQ(n.highest_end(Role::Client), highest);
    // A resend of the last segment, and one of the segment just before it.
    n.note_bytes(Role::Client, seq_at(isn, 1 + 5 * kGiB), 1000);
    n.note_bytes(Role::Client, seq_at(isn, 1 + 5 * kGiB - 1000), 1000);
    EXPECT_EQ(n.highest_end(Role::Client), highest);
    // A segment overlapping the end adds only its new bytes.
    n.note_bytes(Role::Client, seq_at(isn, 1 + 5 * kGiB + 500), 1000);
    EXPECT_EQ(n.highest_end(Role::Client), highest + 500);
}

TEST(Numbering, offset_of_unwraps_against_the_highest_byte) {
    const std::uint32_t isn = 0xFFFFFF00u;
    Numbering n = after_client_syn(isn);
    EXPECT_EQ(n.offset_of(Role::Client, isn), 0);
    EXPECT_EQ(n.offset_of(Role::Client, isn + 1), 1);
    EXPECT_EQ(n.offset_of(Role::Client, isn - 1), -1) << "before the base";
    for (std::uint64_t k = 0; k <= 4; ++k) n.note_bytes(Role::Client, seq_at(isn, 1 + k * kGiB), 100);
    // The highest end is 1 + 4 GiB + 100: the seq of offset 1 now stands for 1 + 4 GiB.
    EXPECT_EQ(n.offset_of(Role::Client, isn + 1), static_cast<std::int64_t>(1 + k4GiB));
    // The base's seq now stands for 4 GiB; a retransmission 1 GiB back is at 1 + 3 GiB.
    EXPECT_EQ(n.offset_of(Role::Client, isn), static_cast<std::int64_t>(k4GiB));
    EXPECT_EQ(n.offset_of(Role::Client, seq_at(isn, 1 + 3 * kGiB)), static_cast<std::int64_t>(1 + 3 * kGiB));
    // Ahead of the highest end by less than 2^31: further on.
    EXPECT_EQ(n.offset_of(Role::Client, seq_at(isn, 1 + 5 * kGiB)), static_cast<std::int64_t>(1 + 5 * kGiB));
    EXPECT_EQ(n.offset_of(Role::Server, 0), 0) << "no base: the sequence number itself";
}

TEST(Numbering, the_highest_ack_grows_across_the_wrap_and_repeats_are_not_new) {
    const std::uint32_t isn = 0xC0000000u;
    Numbering n = after_client_syn(isn);
    n.number(Role::Server, kSyn | kAck, 7, isn + 1);
    EXPECT_FALSE(n.highest_ack(Role::Server).has_value());
    EXPECT_TRUE(n.note_ack(Role::Server, isn + 1)) << "the first ACK is new";
    EXPECT_EQ(n.highest_ack(Role::Server), 1);
    EXPECT_FALSE(n.note_ack(Role::Server, isn + 1)) << "the same ACK again";
    for (std::uint64_t k = 1; k <= 5; ++k)
        EXPECT_TRUE(n.note_ack(Role::Server, seq_at(isn, 1 + k * kGiB))) << k << " GiB acknowledged";
    EXPECT_EQ(n.highest_ack(Role::Server), static_cast<std::int64_t>(1 + 5 * kGiB));
    EXPECT_FALSE(n.note_ack(Role::Server, seq_at(isn, 1 + 4 * kGiB))) << "an older ACK";
    EXPECT_EQ(n.highest_ack(Role::Server), static_cast<std::int64_t>(1 + 5 * kGiB));
}

// The ACKs before a SYN-ACK that names a new ISN compare with later ones as the raw numbers
// do: an ACK is new when it is ahead of the highest raw ack so far.
TEST(Numbering, a_new_isn_keeps_the_comparison_of_the_raw_acks) {
    Numbering n = after_client_syn(100);
    n.number(Role::Server, kSyn | kAck, 1000, 101);
    // The client acknowledges ISN 900, whose SYN-ACK the capture has not shown yet.
    n.number(Role::Client, kAck, 101, 901);
    EXPECT_TRUE(n.note_ack(Role::Client, 901));
    n.number(Role::Server, kSyn | kAck, 900, 101);  // base 1000 -> 900
    EXPECT_EQ(n.base(Role::Server), 900u);
    EXPECT_EQ(n.highest_ack(Role::Client), 1);  // raw 901 is 1 after 900
    EXPECT_FALSE(n.note_ack(Role::Client, 900)) << "raw 900 is behind raw 901";
    EXPECT_TRUE(n.note_ack(Role::Client, 902)) << "raw 902 is ahead of raw 901";
}

// RFC 9293 §3.4.1: once the client's ACK has acknowledged the server's SYN, that ISN is the
// connection's; a SYN-ACK with another seq arriving later (a stale duplicate, or a second
// server answering the same SYN) is outside the receive window (§3.10.7.4) and does not
// renumber the server's bytes.
TEST(Numbering, a_syn_ack_after_the_isn_was_acknowledged_keeps_the_base) {
    Numbering n = after_client_syn(100);
    n.number(Role::Server, kSyn | kAck, 3000, 101);  // the first answer
    n.number(Role::Server, kSyn | kAck, 7000, 101);  // another ISN, not acknowledged yet
    EXPECT_EQ(n.base(Role::Server), 7000u);
    n.number(Role::Client, kAck, 101, 7001);
    n.note_ack(Role::Client, 7001);                                     // the handshake's third step
    const auto stale = n.number(Role::Server, kSyn | kAck, 3000, 101);  // the first, retransmitted
    EXPECT_EQ(n.base(Role::Server), 7000u);
    EXPECT_EQ(stale.seq, 3000u - 7000u) << "numbered against the settled ISN";
    const auto data = n.number(Role::Server, kAck, 7001, 101);
    EXPECT_EQ(data.seq, 1u) << "the server's first byte is relative 1";
    n.note_bytes(Role::Server, 7001, 1000);
    EXPECT_EQ(n.offset_of(Role::Server, 7001 + 1000), 1001);
}

// An ACK of more than the server was seen sending acknowledges another ISN: a SYN-ACK with
// the ISN it does fit still replaces the base.
TEST(Numbering, an_ack_beyond_the_bytes_seen_does_not_settle_the_isn) {
    Numbering n = after_client_syn(100);
    n.number(Role::Server, kSyn | kAck, 3000, 101);
    n.number(Role::Client, kAck, 101, 7001);
    n.note_ack(Role::Client, 7001);  // 4001 past ISN 3000, which sent nothing
    n.number(Role::Server, kSyn | kAck, 7000, 101);
    EXPECT_EQ(n.base(Role::Server), 7000u);
    EXPECT_EQ(n.highest_ack(Role::Client), 1);
}
