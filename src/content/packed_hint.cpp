#include "content/packed_hint.hpp"

#include <algorithm>
#include <cstddef>

namespace tfx::content {

namespace {

// The layout, in ContentHint's field order: kind (1 byte), flags (1: over_limit, malformed,
// hello_retry_request), then unsigned numbers as LEB128 (bytes_needed, the 16-bit fields, the
// ALPN count) and each text as LEB128 (length << 1 | cut) followed by its bytes.

enum Flag : std::uint8_t { kOverLimit = 1, kMalformed = 2, kHelloRetryRequest = 4 };

/// Sizes the block (a Writer without a target) or fills it: the same calls, so the two agree.
class Writer {
public:
    /// Counts the bytes only.
    Writer() = default;
    /// Writes at `out`, which has room for what a counting Writer counted.
    explicit Writer(std::uint8_t* out) : out_(out) {}

    void byte(std::uint8_t b) { put(b); }
    void number(std::uint64_t n) {
        while (n >= 0x80) {
            put(static_cast<std::uint8_t>(n | 0x80));
            n >>= 7;
        }
        put(static_cast<std::uint8_t>(n));
    }
    void text(const BoundedText& t) {
        number((std::uint64_t{t.bytes.size()} << 1) | (t.cut ? 1U : 0U));
        if (out_ != nullptr) std::copy(t.bytes.begin(), t.bytes.end(), out_ + size_);
        size_ += t.bytes.size();
    }
    [[nodiscard]] std::size_t size() const { return size_; }

private:
    void put(std::uint8_t b) {
        if (out_ != nullptr) out_[size_] = b;
        ++size_;
    }

    std::uint8_t* out_ = nullptr;
    std::size_t size_ = 0;
};

void write(Writer& w, const ContentHint& hint) {
    w.byte(static_cast<std::uint8_t>(hint.kind));
    w.byte(static_cast<std::uint8_t>((hint.over_limit ? kOverLimit : 0) | (hint.malformed ? kMalformed : 0) |
                                     (hint.tls.hello_retry_request ? kHelloRetryRequest : 0)));
    w.number(hint.bytes_needed);
    w.text(hint.http.method);
    w.text(hint.http.target);
    w.text(hint.http.version);
    w.number(hint.http.status);
    w.text(hint.http.reason);
    w.number(hint.tls.record_version);
    w.number(hint.tls.legacy_version);
    w.number(hint.tls.version);
    w.number(hint.tls.cipher_suite);
    w.text(hint.tls.server_name);
    w.number(hint.tls.alpn.size());
    for (const BoundedText& name : hint.tls.alpn) w.text(name);
    w.text(hint.ssh.protocol);
    w.text(hint.ssh.software);
    w.text(hint.ssh.comments);
    w.text(hint.greeting);
}

class Reader {
public:
    explicit Reader(const std::uint8_t* at) : at_(at) {}
    std::uint8_t byte() { return *at_++; }
    std::uint64_t number() {
        std::uint64_t n = 0;
        for (unsigned shift = 0;; shift += 7) {
            const std::uint8_t b = *at_++;
            n |= std::uint64_t{b & 0x7FU} << shift;
            if ((b & 0x80) == 0) return n;
        }
    }
    std::uint16_t number16() { return static_cast<std::uint16_t>(number()); }
    void text(BoundedText& t) {
        const std::uint64_t header = number();
        const auto size = static_cast<std::size_t>(header >> 1);
        t.cut = (header & 1) != 0;
        t.bytes.assign(reinterpret_cast<const char*>(at_), size);
        at_ += size;
    }

private:
    const std::uint8_t* at_;
};

}  // namespace

PackedHint::PackedHint(const ContentHint& hint) {
    Writer counter;
    write(counter, hint);
    bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(counter.size());
    Writer writer(bytes_.get());
    write(writer, hint);
}

ContentHint PackedHint::unpack() const {
    ContentHint hint;
    if (!bytes_) return hint;
    Reader r(bytes_.get());
    hint.kind = static_cast<Kind>(r.byte());
    const std::uint8_t flags = r.byte();
    hint.over_limit = (flags & kOverLimit) != 0;
    hint.malformed = (flags & kMalformed) != 0;
    hint.tls.hello_retry_request = (flags & kHelloRetryRequest) != 0;
    hint.bytes_needed = static_cast<std::size_t>(r.number());
    r.text(hint.http.method);
    r.text(hint.http.target);
    r.text(hint.http.version);
    hint.http.status = r.number16();
    r.text(hint.http.reason);
    hint.tls.record_version = r.number16();
    hint.tls.legacy_version = r.number16();
    hint.tls.version = r.number16();
    hint.tls.cipher_suite = r.number16();
    r.text(hint.tls.server_name);
    hint.tls.alpn.resize(static_cast<std::size_t>(r.number()));
    for (BoundedText& name : hint.tls.alpn) r.text(name);
    r.text(hint.ssh.protocol);
    r.text(hint.ssh.software);
    r.text(hint.ssh.comments);
    r.text(hint.greeting);
    return hint;
}

}  // namespace tfx::content
