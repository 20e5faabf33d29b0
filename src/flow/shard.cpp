#include "flow/shard.hpp"

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>

#include "i18n/messages.hpp"

namespace tfx::flow {

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

void add_byte(std::uint64_t& hash, std::uint8_t byte) {
    hash ^= byte;
    hash *= kFnvPrime;
}

void add_endpoint(std::uint64_t& hash, const Endpoint& e) {
    const std::size_t address_bytes = e.addr.version == 6 ? 16 : 4;
    for (std::size_t i = 0; i < address_bytes; ++i) add_byte(hash, e.addr.bytes[i]);
    add_byte(hash, static_cast<std::uint8_t>(e.port >> 8));
    add_byte(hash, static_cast<std::uint8_t>(e.port & 0xffU));
}

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

}  // namespace

std::uint64_t shard_hash(const FlowKey& key) {
    // FlowKey orders its endpoints by (version, address bytes, port): for the two endpoints
    // of one connection (one IP version) that is the documented canonical order.
    std::uint64_t hash = kFnvOffset;
    add_endpoint(hash, key.lo);
    add_endpoint(hash, key.hi);
    return hash;
}

Result<Shard> Shard::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto index = slash == std::string_view::npos ? std::nullopt : number(text.substr(0, slash));
    const auto count = slash == std::string_view::npos ? std::nullopt : number(text.substr(slash + 1));
    if (!index || !count) return Error{ErrorKind::Usage, i18n::Msg::ShardNotIOverN};
    if (*count == 0 || *index == 0 || *index > *count)
        return Error{ErrorKind::Usage, i18n::Msg::ShardDoesNotExist, {std::string(text)}};
    return Shard{*index, *count};
}

}  // namespace tfx::flow
