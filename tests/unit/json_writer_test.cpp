// JsonWriter against nlohmann's dump(), which it must reproduce byte for byte (compact and
// pretty), on random documents large enough that the writer's cursor outgrows the buffer
// many times; and the sync()/resume() contract for appending to the buffer directly while
// a value is open (the JSON document renderer does, between a connection and its segments).

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "render/json_model.hpp"
#include "render/json_writer.hpp"

namespace {

using tfx::render::Json;
using tfx::render::JsonWriter;

std::string text(const fmt::memory_buffer& b) { return std::string(b.data(), b.size()); }

// A random string: plain words, and sometimes every character JSON must escape, a quote, a
// backslash or UTF-8.
std::string random_string(std::mt19937_64& rng) {
    static constexpr std::string_view kPieces[] = {"abc", "segment ", "\"", "\\", "\n", "\t",         "\x01", "\x1f",
                                                   "\b",  "\f",       "\r", "é",  "→",  "0123456789", " "};
    std::string s;
    const auto n = rng() % 12;
    for (std::uint64_t i = 0; i < n; ++i) s += kPieces[rng() % std::size(kPieces)];
    return s;
}

// A member written in one step (member(), plain_member()) with a random number, boolean or
// plain string; returns its value for the reference.
template <typename Writer, std::size_t N>
Json random_member(std::mt19937_64& rng, Writer& w, const char (&name)[N]) {
    switch (rng() % 5) {
        case 0: {
            const std::uint64_t v = rng() >> (rng() % 64);
            w.member(name, v);
            return v;
        }
        case 1: {
            const auto v = static_cast<std::int64_t>(rng()) >> (rng() % 64);
            w.member(name, v);
            return v;
        }
        case 2: {
            const auto v = static_cast<std::uint16_t>(rng());
            w.member(name, v);
            return v;
        }
        case 3: {
            const bool b = rng() % 2 == 0;
            w.member(name, b);
            return b;
        }
        default: {
            const std::string v = "plain_" + std::to_string(rng() % 1000);
            w.plain_member(name, v);
            return v;
        }
    }
}

// Builds the same random value twice: as nlohmann JSON (the reference) and through the writer.
template <typename Writer>
Json random_value(std::mt19937_64& rng, Writer& w, int depth) {
    const auto kind = depth >= 4 ? rng() % 5 : rng() % 7;
    switch (kind) {
        case 0: {
            const std::uint64_t v = rng() >> (rng() % 64);
            w.value(v);
            return v;
        }
        case 1: {
            const auto v = static_cast<std::int64_t>(rng()) >> (rng() % 64);
            w.value(v);
            return v;
        }
        case 2: {
            const bool b = rng() % 2 == 0;
            w.value(b);
            return b;
        }
        case 3: {
            if (rng() % 4 == 0) {
                w.null();
                return nullptr;
            }
            const std::string s = random_string(rng);
            if (rng() % 2 == 0) {
                w.value(s);
            } else {  // the same escaping, on text appended straight into the buffer
                w.formatted_value([&s](fmt::memory_buffer& out) { out.append(s.data(), s.data() + s.size()); });
            }
            return s;
        }
        case 4: {
            const std::string s = "plain_" + std::to_string(rng() % 1000);
            w.plain_value(s);
            return s;
        }
        case 5: {
            Json o = Json::object();
            w.begin_object();
            const auto n = rng() % 5;
            for (std::uint64_t i = 0; i < n; ++i) {
                const std::string key = "k" + std::to_string(i);
                if (rng() % 3 == 0) {  // a one-step member: its name must be a literal
                    switch (i) {
                        case 0: o[key] = random_member(rng, w, "k0"); break;
                        case 1: o[key] = random_member(rng, w, "k1"); break;
                        case 2: o[key] = random_member(rng, w, "k2"); break;
                        case 3: o[key] = random_member(rng, w, "k3"); break;
                        default: o[key] = random_member(rng, w, "k4"); break;
                    }
                    continue;
                }
                w.key(key);
                o[key] = random_value(rng, w, depth + 1);
            }
            w.end_object();
            return o;
        }
        default: {
            Json a = Json::array();
            w.begin_array();
            const auto n = rng() % 6;
            for (std::uint64_t i = 0; i < n; ++i) a.push_back(random_value(rng, w, depth + 1));
            w.end_array();
            return a;
        }
    }
}

}  // namespace

TEST(JsonWriter, WritesWhatNlohmannDumpsCompactAndPretty) {
    std::mt19937_64 rng(20261126);
    // indent 0 and 2 with the layout chosen at run time, then the compact-only writer.
    for (const int layout : {0, 2, -1}) {
        const int indent = layout < 0 ? 0 : layout;
        for (int doc = 0; doc < 300; ++doc) {
            fmt::memory_buffer out;  // starts with 500 bytes inline: documents outgrow it
            Json reference;
            if (layout < 0) {
                tfx::render::CompactJsonWriter w(out);
                reference = random_value(rng, w, 0);
            } else {
                JsonWriter w(out, indent);
                reference = random_value(rng, w, 0);
            }
            ASSERT_EQ(text(out), indent ? reference.dump(indent) : reference.dump())
                << "document " << doc << ", layout " << layout;
        }
    }
}

TEST(JsonWriter, ABigDocumentGrowsTheBufferManyTimes) {
    fmt::memory_buffer out;
    Json reference = Json::array();
    {
        JsonWriter w(out);
        w.begin_array();
        for (std::uint64_t i = 0; i < 200'000; ++i) {
            w.value(i * 2654435761u);
            reference.push_back(i * 2654435761u);
        }
        w.end_array();
    }
    EXPECT_EQ(text(out), reference.dump());
}

// A complete top-level value is in the buffer at once (its owner may flush it); mid-value,
// sync() makes it so, and resume() continues after what was appended directly.
TEST(JsonWriter, SyncAndResumeAroundDirectAppends) {
    fmt::memory_buffer out;
    JsonWriter w(out);
    w.begin_object();
    w.key("a").value(std::uint64_t{1});
    w.key("list").raw_value("[");
    w.sync();
    EXPECT_EQ(text(out), R"({"a":1,"list":[)");
    out.append(std::string_view("7,8"));
    w.resume();
    w.raw("]");
    w.key("b").value(true);
    w.end_object();
    EXPECT_EQ(text(out), R"({"a":1,"list":[7,8],"b":true})");
    out.push_back('\n');  // after a complete value, the buffer is the owner's again
    w.begin_array();
    w.end_array();
    EXPECT_EQ(text(out), "{\"a\":1,\"list\":[7,8],\"b\":true}\n[]");
}

#ifndef NDEBUG
// Appending behind an open writer's back, without sync(), would lose bytes: debug builds
// (the sanitizer suite) stop there.
TEST(JsonWriterDeathTest, AppendingBehindAnOpenWritersBackIsCaught) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            fmt::memory_buffer out;
            JsonWriter w(out);
            w.begin_object();
            w.key("a").value(std::uint64_t{1});
            out.push_back('x');
            w.end_object();
        },
        "sync\\(\\) first");
}
#endif

// The escape scan reads sixteen bytes at a time, then eight, then one: each character JSON
// escapes, alone at every position of strings long enough for all three steps.
TEST(JsonWriter, EscapesACharacterAtEveryPositionOfTheScan) {
    for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
        for (std::size_t length = 1; length <= 40; ++length) {
            for (std::size_t at = 0; at < length; ++at) {
                // Around it, bytes that need no escape, among them DEL (0x7f) and bytes above
                // 0x7f (negative as char) that a signed compare would take for controls.
                std::string s;
                for (std::size_t i = 0; i < length; ++i) s += "xy\x7f\xc3\xa9 z"[i % 7];
                s[at] = special;
                fmt::memory_buffer out;
                {
                    JsonWriter w(out);
                    w.value(s);
                }
                std::string want = "\"";  // the one escape `special` needs; the rest as it is
                for (const char c : s) {
                    if (c != special)
                        want += c;
                    else if (c == '"' || c == '\\')
                        want += std::string("\\") + c;
                    else if (c == '\n')
                        want += "\\n";
                    else
                        want += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                }
                want += '"';
                ASSERT_EQ(text(out), want) << "length " << length << " at " << at;
            }
        }
    }
}
