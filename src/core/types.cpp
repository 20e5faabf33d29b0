// Text forms of the value types: addresses, endpoints and flag words.

#include "tfx/types.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "text/address.hpp"

namespace tfx {

char* IpAddress::write_text(char* out) const {
    std::array<char, text::kAddressRoom> room;
    return std::copy(room.data(), text::write_address(room.data(), *this), out);
}

std::string IpAddress::to_string() const {
    std::array<char, text::kAddressRoom> room;
    return std::string(room.data(), text::write_address(room.data(), *this));
}

char* Endpoint::write_text(char* out) const {
    std::array<char, text::kEndpointRoom> room;
    return std::copy(room.data(), text::write_endpoint(room.data(), *this), out);
}

std::string Endpoint::to_string() const {
    std::array<char, text::kEndpointRoom> room;
    return std::string(room.data(), text::write_endpoint(room.data(), *this));
}

FlowKey FlowKey::from(const Endpoint& src, const Endpoint& dst, std::uint32_t vlan) {
    if (src < dst) return FlowKey{src, dst, vlan};
    return FlowKey{dst, src, vlan};
}

std::string flags_to_words(std::uint16_t f) {
    using namespace tcpflag;
    std::string out;
    auto add = [&out](const char* w) {
        if (!out.empty()) out += '-';
        out += w;
    };
    // The order people say them in: SYN-ACK, FIN-ACK, PSH-ACK, RST-ACK, FIN-PSH-ACK.
    if (f & kSyn) add("SYN");
    if (f & kFin) add("FIN");
    if (f & kRst) add("RST");
    if (f & kPsh) add("PSH");
    if (f & kUrg) add("URG");
    if (f & kAck) add("ACK");
    if (f & kEce) add("ECE");
    if (f & kCwr) add("CWR");
    if (f & kAe) add("AE");
    if (out.empty()) out = "none";
    return out;
}

std::string flags_to_tcpdump(std::uint16_t f) {
    using namespace tcpflag;
    std::string out;
    if (f & kSyn) out += 'S';
    if (f & kFin) out += 'F';
    if (f & kPsh) out += 'P';
    if (f & kRst) out += 'R';
    if (f & kUrg) out += 'U';
    if (f & kEce) out += 'E';
    if (f & kCwr) out += 'W';
    if (f & kAe) out += 'e';
    if (f & kAck) out += '.';
    if (out.empty()) out = "none";
    return out;
}

}  // namespace tfx
