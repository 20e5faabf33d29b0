#pragma once
// The expectation language of `tcpflow-explain check`.
//
// An expectation is one or more predicates joined by `and`, each `field OP value`:
//
//   handshake == complete            close == graceful|simultaneous
//   retransmissions == 0             handshake_rtt < 5ms        server_bytes >= 1KB
//   sack == true                     conn_state == SF            history ~ "^ShAD"
//   handshake ~ "SYN SYN-ACK ACK"    teardown ~ "FIN-ACK ACK FIN-ACK ACK"
//
// The language is small and strict: every field has one type, operators and units must fit
// that type, enum values are checked against the exact names, and every error carries the
// byte range of the offending text so the caller can underline it. Parsing touches no
// capture: bad expectations are reported before any packet is read.
// Non-goals: `or` between predicates, arithmetic, comparing two fields.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "i18n/messages.hpp"
#include "tfx/annotation.hpp"
#include "tfx/language.hpp"

namespace re2 {
class RE2;
}

namespace tfx::check {

/// A problem in user-written text: the message and the byte range [pos, pos + len) it is about.
struct SourceError {
    std::string message;
    std::size_t pos = 0;
    std::size_t len = 1;
};

/// Either the parsed value or the error pointing into the source text.
template <typename T>
using Parsed = std::variant<T, SourceError>;

/// "<where>: <message>\n  <text>\n  ^~~~": the text with a caret line under the range.
[[nodiscard]] std::string format_source_error(std::string_view where, std::string_view text, const SourceError& error,
                                              Language lang = Language::En);

enum class Op : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, Match, NotMatch };
[[nodiscard]] std::string_view op_text(Op op);

/// The type of a field; it decides which operators and values are legal.
enum class ValueKind : std::uint8_t {
    Count,         ///< non-negative integer, no unit
    Bytes,         ///< integer with an optional unit B, KB, MB, GB, KiB, MiB, GiB
    Duration,      ///< number with a mandatory unit ns, us, ms, s; held in nanoseconds
    Number,        ///< integer option value that may be absent (`none`): MSS, window scale
    Bool,          ///< true / false
    Enum,          ///< one of a fixed list of names; `a|b` means either
    History,       ///< Zeek history string: == != exact, ~ !~ regular expression search
    FlagSequence,  ///< ordered TCP flag words of a phase, matched with ~ / !~
    Text,          ///< text from the capture: == != exact, ~ !~ regular expression search
};
[[nodiscard]] std::string_view kind_name(ValueKind kind, Language lang = Language::En);

/// What a field reads from a connection.
enum class Attr : std::uint8_t {
    Handshake,
    Close,
    ClosedBy,
    RstBy,
    EndReason,
    ConnState,
    History,
    HandshakeSequence,
    TeardownSequence,
    Sack,
    Timestamps,
    WindowScaling,
    SackClient,
    SackServer,
    TimestampsClient,
    TimestampsServer,
    RolesInferred,
    DataAfterClose,
    Packets,
    ClientPackets,
    ServerPackets,
    RstCount,
    FinCount,
    SynCount,
    CodeCount,
    Bytes,
    ClientBytes,
    ServerBytes,
    PayloadBytes,
    ClientPayloadBytes,
    ServerPayloadBytes,
    RetransmittedBytes,
    HandshakeRtt,
    SynToSynack,
    SynackToAck,
    DurationTotal,
    RttMin,
    RttMax,
    RttAvg,
    MssClient,
    MssServer,
    WscaleClient,
    WscaleServer,
    TimeToFirstByte,
    ServerThinkMax,
    Vantage,
    CaptureDroppedBytes,
    ClientStreamBytes,
    ServerStreamBytes,
    MissingBytes,
    InconsistentRetransmissions,
    // Content hints (docs/content.md): the rule needs the first bytes of each direction.
    ContentClient,
    ContentServer,
    TlsSni,
    TlsVersion,
    HttpMethod,
    HttpTarget,
    HttpStatus,
    SshSoftware,
};
/// Whether the field reads the rebuilt byte streams (ConversationSummary::stream): a check
/// that uses one has the streams rebuilt.
[[nodiscard]] bool reads_streams(Attr attr);

/// The field reads a content hint: the run must keep payloads and find the hints.
[[nodiscard]] bool reads_content(Attr attr);

/// Which annotated segments explain a failure of a field.
enum class Evidence : std::uint8_t { Handshake, Teardown, Resets, Findings, Ends, HandshakeAndTeardown };

/// One entry of the field table (see `fields()`).
struct FieldInfo {
    std::string name;
    ValueKind kind{};
    Attr attr{};
    Evidence evidence{};
    std::vector<AnnotationCode> codes;     ///< CodeCount: the codes counted (a union)
    std::vector<std::string> enum_values;  ///< Enum: the legal names
    i18n::Msg help{};                      ///< what the field reads, a sentence of the catalogue (field_help)
};

/// The description of `field` in `lang`, as `check --list-fields` shows it.
[[nodiscard]] std::string field_help(const FieldInfo& field, Language lang);

/// Every field of the language, in documentation order. Annotation-code counts are
/// included, one field per code_name().
[[nodiscard]] const std::vector<FieldInfo>& fields();
/// The field named `name` (exact), or nullptr. `handshake` is the enum; `~` turns it into
/// the sequence field, which the parser does.
[[nodiscard]] const FieldInfo* find_field(std::string_view name);

/// One flag word of a sequence pattern.
struct FlagToken {
    enum class Kind : std::uint8_t { Exact, AnyOne, AnyRun } kind = Kind::Exact;
    std::uint16_t flags = 0;
    /// The pattern names ECE, CWR or AE: then those bits must match too; otherwise they
    /// are ignored (an ECN-capable SYN-ACK still matches "SYN-ACK").
    bool ecn_significant = false;
};

struct Predicate {
    std::string text;     ///< the predicate as written, trimmed: "close == graceful"
    std::size_t pos = 0;  ///< offset of `text` in the expectation
    const FieldInfo* field = nullptr;
    Op op = Op::Eq;
    bool none = false;        ///< compares with "absent" (Number, Duration)
    std::int64_t number = 0;  ///< Count, Bytes, Number; nanoseconds for Duration
    bool boolean = false;
    std::vector<std::string> names;         ///< Enum / History (==, !=): the alternatives
    std::vector<FlagToken> sequence;        ///< FlagSequence
    std::string pattern;                    ///< History ~: regular expression source
    std::shared_ptr<const re2::RE2> regex;  ///< history ~ pattern (RE2: linear-time matching)
    std::string value_text;                 ///< the value as written, for reports
};

struct Expectation {
    std::string text;              ///< whole expectation as written
    std::vector<Predicate> terms;  ///< joined by `and`
};

/// Parses one expectation. Errors carry the offending range within `text`.
[[nodiscard]] Parsed<Expectation> parse_expectation(std::string_view text, Language lang = Language::En);

/// Closest known name to `word` (edit distance <= 2, or a prefix), empty if none.
[[nodiscard]] std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
/// " (did you mean 'suggestion'?)" in `lang`; empty when `suggestion` is.
[[nodiscard]] std::string suggestion_hint(Language lang, std::string_view suggestion);
/// The hint for the candidate closest to `word` (did_you_mean), in `lang`; empty when
/// nothing is close.
[[nodiscard]] std::string did_you_mean_hint(Language lang, std::string_view word,
                                            const std::vector<std::string>& candidates);

/// Flags in the words the patterns use ("SYN-ACK"), the lead's flags_to_words.
[[nodiscard]] std::string flag_words(std::uint16_t flags);

/// True when `observed` (flag bits per segment, in order) matches the pattern.
[[nodiscard]] bool sequence_matches(const std::vector<FlagToken>& pattern, const std::vector<std::uint16_t>& observed);

}  // namespace tfx::check
