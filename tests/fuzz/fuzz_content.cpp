// libFuzzer target: the content hints (src/content), identify() and identify_connection()
// on arbitrary first bytes, then describe() and hint_fields() on what they return.
// Input: [port selector] [client bytes] SEP [server bytes] (fuzz_input.hpp); the client
// bytes alone also go through identify().
// Traps: a hint asking for more than the bounds, a text field longer than kMaxTextBytes,
// more ALPN names than kMaxAlpnNames, a control byte in a phrase or a field.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "content/content_hint.hpp"
#include "content/describe.hpp"
#include "content/hint_fields.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace tfx::content;

void check_text(std::string_view s) {
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x7F) __builtin_trap();
    }
}

void check_bounded(const BoundedText& t) {
    if (t.bytes.size() > kMaxTextBytes) __builtin_trap();
}

void check(const ContentHint& h) {
    if (h.bytes_needed > kMaxHelloBytes && h.bytes_needed > kMaxLineBytes) __builtin_trap();
    if (h.over_limit && h.bytes_needed != 0) __builtin_trap();
    if (h.tls.alpn.size() > kMaxAlpnNames) __builtin_trap();
    for (const BoundedText* t : {&h.http.method, &h.http.target, &h.http.version, &h.http.reason, &h.tls.server_name,
                                 &h.ssh.protocol, &h.ssh.software, &h.ssh.comments, &h.greeting})
        check_bounded(*t);
    for (const BoundedText& name : h.tls.alpn) check_bounded(name);
    check_text(describe(h));
    if (h.kind == Kind::Unknown && !describe(h).empty()) __builtin_trap();
    for (const HintField& f : hint_fields(h)) {
        check_text(f.text);
        for (const auto& item : f.list) check_text(item);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint16_t port = tfx::fuzz::server_port_for(data[0]);
    const std::span<const std::uint8_t> rest(data + 1, size - 1);
    std::span<const std::uint8_t> parts[2] = {rest, {}};
    int n = 0;
    tfx::fuzz::for_each_chunk(rest, [&](std::span<const std::uint8_t> chunk) {
        if (n < 2) parts[n] = chunk;
        ++n;
    });
    check(identify(rest, port));
    const ConnectionHints both = identify_connection(parts[0], parts[1], port);
    check(both.client);
    check(both.server);
    return 0;
}
