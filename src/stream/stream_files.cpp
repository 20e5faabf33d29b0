#include "stream/stream_files.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <iterator>
#include <utility>

#include "render/json_writer.hpp"

namespace tfx::stream {

namespace {

void append_address(std::string& out, const IpAddress& address) {
    if (address.version == 4) {
        // Formatted into an array, not through a back_inserter: a name per direction, and
        // appending character by character was most of its cost.
        char text[16];
        char* end = fmt::format_to(text, "{:03}.{:03}.{:03}.{:03}", address.bytes[0], address.bytes[1],
                                   address.bytes[2], address.bytes[3]);
        out.append(text, static_cast<std::size_t>(end - text));
        return;
    }
    // tcpflow prints IPv6 with inet_ntop: the same function gives the same text.
    char text[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET6, address.bytes.data(), text, sizeof text) == nullptr) text[0] = '\0';
    out += text;
}

void append_endpoint(std::string& out, const Endpoint& endpoint) {
    append_address(out, endpoint.addr);
    char text[8];
    char* end = fmt::format_to(text, ".{:05}", endpoint.port);
    out.append(text, static_cast<std::size_t>(end - text));
}

void append_range(render::CompactJsonWriter& w, const char* name, const ByteRange& range, FrameIndex frame) {
    w.key(name).begin_object();
    w.member("offset", range.offset);
    w.member("length", range.length);
    w.member("frame", frame);
    w.end_object();
}

void append_notes(render::CompactJsonWriter& w, const std::vector<StreamNote>& notes, Language lang) {
    w.key("notes").begin_array();
    for (const StreamNote& n : notes) {
        w.begin_object();
        w.member("offset", n.offset);
        w.plain_member("kind", to_string(n.kind));
        if (n.kind == NoteKind::AfterFin) w.member("length", n.length);
        w.key("text").value(describe(n, lang));
        w.end_object();
    }
    w.end_array();
}

}  // namespace

std::string stream_file_name(const Endpoint& src, const Endpoint& dst, std::uint32_t vlan) {
    std::string name;
    name.reserve(2 * (INET6_ADDRSTRLEN + 6) + 1);
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

nlohmann::ordered_json stream_file_row(const StreamFileRow& row, Language lang) {
    fmt::memory_buffer text;
    append_stream_file_row(text, row, lang);
    return nlohmann::ordered_json::parse(std::string_view(text.data(), text.size()));
}

void append_stream_file_row(fmt::memory_buffer& out, const StreamFileRow& row, Language lang) {
    const StreamTotals& t = row.totals;
    render::CompactJsonWriter w(out);
    w.begin_object();
    w.key("file").value(row.file);
    w.member("connection", row.connection);
    w.plain_member("direction", row.sender == Role::Client ? "client" : "server");
    w.member("bytes", t.delivered_bytes);
    w.key("sha256").value(row.sha256);
    w.member("missing_bytes", t.missing_bytes);
    w.member("missing_ranges", t.missing_ranges);
    w.key("missing").begin_array();
    for (const auto& g : row.gaps) {
        w.begin_object();
        w.member("offset", g.offset);
        w.member("length", g.length);
        w.plain_member("reason", to_string(g.reason));
        w.end_object();
    }
    w.end_array();
    w.member("duplicate_bytes", t.duplicate_bytes);
    w.member("overlapping_bytes", t.overlapping_bytes);
    w.member("inconsistent_retransmissions", t.inconsistent_retransmissions);
    w.member("inconsistent_bytes", t.inconsistent_bytes);
    w.key("inconsistencies").begin_array();
    for (const auto& i : row.inconsistencies) {
        w.begin_object();
        w.member("offset", i.overlap.offset);
        w.member("length", i.overlap.length);
        w.member("differing_bytes", i.differing_bytes);
        append_range(w, "first", i.first, i.first_frame);
        append_range(w, "later", i.later, i.later_frame);
        w.end_object();
    }
    w.end_array();
    w.member("beyond_fin_bytes", t.beyond_fin_bytes);
    w.member("after_rst_bytes", t.after_rst_bytes);
    append_notes(w, row.notes, lang);
    if (row.before_start_bytes) w.member("before_start_bytes", *row.before_start_bytes);
    w.end_object();
}

}  // namespace tfx::stream
