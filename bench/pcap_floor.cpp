// The "libpcap floor" of the benchmark: what any pcap-based tool must pay at least.
//   pcap_floor FILE            pcap_next_ex loop, counting packets only
//   pcap_floor --flows FILE    + decode Ethernet/VLAN/IPv4/IPv6/TCP and look up the
//                              canonical 5-tuple in an open-addressing hash table
// Standalone on purpose (no tcpflow-explain code): it is the yardstick, not the subject.

#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

struct FlowKey {
    std::uint8_t lo_addr[16];
    std::uint8_t hi_addr[16];
    std::uint16_t lo_port;
    std::uint16_t hi_port;
    std::uint8_t version;
    bool operator==(const FlowKey& o) const { return std::memcmp(this, &o, sizeof *this) == 0; }
};

std::uint64_t hash_key(const FlowKey& k) {
    // FNV-1a over the key bytes (padding is zeroed because keys are memset first).
    const auto* p = reinterpret_cast<const std::uint8_t*>(&k);
    std::uint64_t h = 1469598103934665603ull;
    for (std::size_t i = 0; i < sizeof k; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

// Open addressing with linear probing; identity is the full key, the hash only picks a slot.
class FlowSet {
public:
    FlowSet() : slots_(1u << 16), used_(1u << 16, 0) {}
    std::uint64_t& counter(const FlowKey& k) {
        if ((size_ + 1) * 10 > slots_.size() * 7) grow();
        std::size_t i = hash_key(k) & (slots_.size() - 1);
        while (used_[i]) {
            if (slots_[i].key == k) return slots_[i].packets;
            i = (i + 1) & (slots_.size() - 1);
        }
        used_[i] = 1;
        slots_[i] = Slot{k, 0};
        ++size_;
        return slots_[i].packets;
    }
    std::size_t size() const { return size_; }

private:
    struct Slot {
        FlowKey key;
        std::uint64_t packets;
    };
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        std::vector<std::uint8_t> old_used = std::move(used_);
        slots_.assign(old.size() * 2, Slot{});
        used_.assign(old.size() * 2, 0);
        size_ = 0;
        for (std::size_t i = 0; i < old.size(); ++i)
            if (old_used[i]) counter(old[i].key) = old[i].packets;
    }
    std::vector<Slot> slots_;
    std::vector<std::uint8_t> used_;
    std::size_t size_ = 0;
};

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// Returns false when the frame is not Ethernet + IP + TCP with complete headers.
bool decode_key(const std::uint8_t* p, std::uint32_t len, FlowKey& key) {
    std::uint32_t off = 12;
    if (len < off + 2) return false;
    std::uint16_t ethertype = be16(p + off);
    off += 2;
    while (ethertype == 0x8100 || ethertype == 0x88a8) {
        if (len < off + 4) return false;
        ethertype = be16(p + off + 2);
        off += 4;
    }
    std::memset(&key, 0, sizeof key);
    const std::uint8_t *src, *dst;
    std::size_t addr_len;
    if (ethertype == 0x0800) {
        if (len < off + 20) return false;
        const std::uint32_t ihl = (p[off] & 0x0f) * 4u;
        if (p[off + 9] != 6 || ihl < 20 || len < off + ihl + 20) return false;
        src = p + off + 12;
        dst = p + off + 16;
        addr_len = 4;
        key.version = 4;
        off += ihl;
    } else if (ethertype == 0x86dd) {
        if (len < off + 40 + 20 || p[off + 6] != 6) return false;
        src = p + off + 8;
        dst = p + off + 24;
        addr_len = 16;
        key.version = 6;
        off += 40;
    } else {
        return false;
    }
    const std::uint16_t sport = be16(p + off), dport = be16(p + off + 2);
    const int order = std::memcmp(src, dst, addr_len);
    const bool src_is_lo = order < 0 || (order == 0 && sport <= dport);
    std::memcpy(key.lo_addr, src_is_lo ? src : dst, addr_len);
    std::memcpy(key.hi_addr, src_is_lo ? dst : src, addr_len);
    key.lo_port = src_is_lo ? sport : dport;
    key.hi_port = src_is_lo ? dport : sport;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    bool flows = false;
    int arg = 1;
    if (arg < argc && std::strcmp(argv[arg], "--flows") == 0) {
        flows = true;
        ++arg;
    }
    if (arg >= argc) {
        std::fprintf(stderr, "usage: pcap_floor [--flows] FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* pcap = pcap_open_offline(argv[arg], err);
    if (!pcap) {
        std::fprintf(stderr, "pcap_floor: %s\n", err);
        return 3;
    }
    if (flows && pcap_datalink(pcap) != DLT_EN10MB) {
        std::fprintf(stderr, "pcap_floor: --flows reads Ethernet captures only\n");
        return 5;
    }
    FlowSet table;
    std::uint64_t packets = 0, tcp = 0;
    pcap_pkthdr* hdr;
    const u_char* data;
    while (pcap_next_ex(pcap, &hdr, &data) == 1) {
        ++packets;
        FlowKey key;
        if (flows && decode_key(data, hdr->caplen, key)) {
            ++table.counter(key);
            ++tcp;
        }
    }
    pcap_close(pcap);
    if (flows)
        std::printf("%llu packets, %llu TCP, %zu flows\n", static_cast<unsigned long long>(packets),
                    static_cast<unsigned long long>(tcp), table.size());
    else
        std::printf("%llu packets\n", static_cast<unsigned long long>(packets));
    return 0;
}
