#include "stream/stream_files.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <iterator>
#include <utility>

namespace tfx::stream {

namespace {

void append_address(std::string& out, const IpAddress& address) {
    if (address.version == 4) {
        fmt::format_to(std::back_inserter(out), "{:03}.{:03}.{:03}.{:03}", address.bytes[0], address.bytes[1],
                       address.bytes[2], address.bytes[3]);
        return;
    }
    // tcpflow prints IPv6 with inet_ntop: the same function gives the same text.
    char text[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET6, address.bytes.data(), text, sizeof text) == nullptr) text[0] = '\0';
    out += text;
}

void append_endpoint(std::string& out, const Endpoint& endpoint) {
    append_address(out, endpoint.addr);
    fmt::format_to(std::back_inserter(out), ".{:05}", endpoint.port);
}

nlohmann::ordered_json range_json(const ByteRange& range, FrameIndex frame) {
    return {{"offset", range.offset}, {"length", range.length}, {"frame", frame}};
}

nlohmann::ordered_json notes_json(const std::vector<StreamNote>& notes) {
    auto out = nlohmann::ordered_json::array();
    for (const StreamNote& n : notes) {
        nlohmann::ordered_json entry = {{"offset", n.offset}, {"kind", to_string(n.kind)}};
        if (n.kind == NoteKind::AfterFin) entry["length"] = n.length;
        entry["text"] = describe(n);
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace

std::string stream_file_name(const Endpoint& src, const Endpoint& dst, std::uint32_t vlan) {
    std::string name;
    append_endpoint(name, src);
    name += '-';
    append_endpoint(name, dst);
    if (vlan >= 4096) {
        fmt::format_to(std::back_inserter(name), "--{}.{}", vlan >> 12, vlan & 0xfffU);
    } else if (vlan != 0) {
        fmt::format_to(std::back_inserter(name), "--{}", vlan);
    }
    return name;
}

std::string StreamFileNames::name_for(std::uint64_t connection, const Endpoint& src, const Endpoint& dst,
                                      std::uint32_t vlan) {
    std::string name = stream_file_name(src, dst, vlan);
    if (used_.contains(name)) fmt::format_to(std::back_inserter(name), "c{}", connection);
    used_.insert(name);
    return name;
}

void StreamDigest::bytes(std::uint64_t /*offset*/, std::span<const std::byte> data, FrameIndex /*frame*/) {
    hash_.update(data);
}

void StreamDigest::missing(std::uint64_t offset, std::uint64_t length, MissingReason reason) {
    if (gaps_.size() < kMaxListed) gaps_.push_back({offset, length, reason});
}

void StreamDigest::inconsistent(const Inconsistency& found) {
    if (inconsistencies_.size() < kMaxListed) inconsistencies_.push_back(found);
}

void StreamDigest::beyond_fin(ByteRange range, FrameIndex /*frame*/) {
    note({NoteKind::AfterFin, range.offset, range.length});
}

void StreamDigest::note(const StreamNote& said) {
    if (notes_.size() < kMaxListed) notes_.push_back(said);
}

nlohmann::ordered_json stream_file_row(const StreamFileRow& row) {
    const StreamTotals& t = row.totals;
    auto missing = nlohmann::ordered_json::array();
    for (const auto& g : row.gaps)
        missing.push_back({{"offset", g.offset}, {"length", g.length}, {"reason", to_string(g.reason)}});
    auto inconsistencies = nlohmann::ordered_json::array();
    for (const auto& i : row.inconsistencies) {
        inconsistencies.push_back({{"offset", i.overlap.offset},
                                   {"length", i.overlap.length},
                                   {"differing_bytes", i.differing_bytes},
                                   {"first", range_json(i.first, i.first_frame)},
                                   {"later", range_json(i.later, i.later_frame)}});
    }
    return {{"file", row.file},
            {"connection", row.connection},
            {"direction", row.sender == Role::Client ? "client" : "server"},
            {"bytes", t.delivered_bytes},
            {"sha256", row.sha256},
            {"missing_bytes", t.missing_bytes},
            {"missing_ranges", t.missing_ranges},
            {"missing", std::move(missing)},
            {"duplicate_bytes", t.duplicate_bytes},
            {"overlapping_bytes", t.overlapping_bytes},
            {"inconsistent_retransmissions", t.inconsistent_retransmissions},
            {"inconsistent_bytes", t.inconsistent_bytes},
            {"inconsistencies", std::move(inconsistencies)},
            {"beyond_fin_bytes", t.beyond_fin_bytes},
            {"after_rst_bytes", t.after_rst_bytes},
            {"notes", notes_json(row.notes)}};
}

}  // namespace tfx::stream
