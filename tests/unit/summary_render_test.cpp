// The --summary table's words in French: the header row (docs/glossaire.md) and the line
// that says the capture was interrupted; the cells keep the values the CSV writes.

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "tfx/render.hpp"
#include "support/drain_file.hpp"

using namespace tfx;

namespace {

std::string summary_of_an_interrupted_capture(Language lang) {
    std::FILE* f = std::tmpfile();
    {
        RenderOptions o;
        o.summary_only = true;
        o.language = lang;
        auto sink = make_renderer(OutputFormat::Text, f, o);
        sink->capture_started(CaptureInfo{});
        ConversationSummary s;
        s.id = 1;
        s.closed_by = Role::Server;
        sink->conversation_closed(s);
        CaptureSummary c;
        c.conversations = 1;
        c.interrupted = CaptureSummary::Interruption{SIGINT, 42};
        sink->capture_finished(c);
    }
    return test::drain(f);
}

}  // namespace

TEST(SummaryRender, FrenchHeadersAndInterruptionLine) {
    const std::string fr = summary_of_an_interrupted_capture(Language::Fr);
    const std::string header = fr.substr(0, fr.find('\n'));
    for (const char* word :
         {"n°", "serveur", "durée", "octets>", "poignée de main", "fermeture", "par", "état", "historique"})
        EXPECT_NE(header.find(word), std::string::npos) << word << " in " << header;
    EXPECT_NE(fr.find("(lecture interrompue par SIGINT après la trame 42\u202f: la suite de la capture n'a pas été "
                      "lue)\n"),
              std::string::npos)
        << fr;
    // The "by" cell is the CSV's closed_by value, not the French word.
    EXPECT_NE(fr.find(" server "), std::string::npos) << fr;
    EXPECT_EQ(fr.find("interrupted"), std::string::npos) << fr;
}

TEST(SummaryRender, AccentedHeadersKeepTheColumnsAligned) {
    // "durée" is 6 bytes, 5 columns: right-aligned in a 10-column field after "serveur"'s
    // 24 columns and a space, it ends where "duration" ends in English.
    const std::string en = summary_of_an_interrupted_capture(Language::En);
    const std::string fr = summary_of_an_interrupted_capture(Language::Fr);
    const auto columns_before = [](const std::string& line, const std::string& word) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < line.find(word); ++i) n += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
        return n;
    };
    EXPECT_EQ(columns_before(fr, "durée") + 5, columns_before(en, "duration") + 8) << fr << en;
    EXPECT_EQ(columns_before(fr, "paq>") + 4, columns_before(en, "pkts>") + 5) << fr << en;
}
