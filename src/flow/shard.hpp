#pragma once
// Module note: flow / shards
//   Purpose: `--shard I/N` splits a capture's connections between N runs, each analysing only
//   its own, so that N processes (or machines) share the analysis. Every packet of a
//   connection falls in the same shard because the shard depends only on the connection's
//   two endpoints.
//   The rule, for other tools to reproduce (docs/scale.md): the two endpoints in canonical
//   order (the lower address first, compared as unsigned big-endian numbers; equal addresses:
//   the lower port first), each written as its address (4 bytes for IPv4, 16 for IPv6, in
//   network order) then its port (2 bytes, big-endian); FNV-1a 64 over those 12 or 36 bytes;
//   the connection is in shard (hash mod N) + 1. The VLAN tags are not hashed: a connection
//   seen on two VLANs is one connection to the session.
//   Non-goals: balancing by packets or bytes (shards balance by connection count).

#include <cstdint>
#include <string_view>

#include "tfx/result.hpp"
#include "tfx/types.hpp"

namespace tfx::flow {

/// FNV-1a 64 over the canonical bytes of `key`'s endpoints (see the note above).
[[nodiscard]] std::uint64_t shard_hash(const FlowKey& key);

struct Shard {
    std::uint64_t index = 1;  ///< 1..count
    std::uint64_t count = 1;

    /// Parses "I/N" (1 <= I <= N); a usage error when it is not that.
    [[nodiscard]] static Result<Shard> parse(std::string_view text);
    /// Whether the connection of `key` is in this shard.
    [[nodiscard]] bool holds(const FlowKey& key) const { return shard_hash(key) % count + 1 == index; }
};

}  // namespace tfx::flow
