// The message catalogue: every language translates every identifier, with the parameters
// messages.hpp declares, and the plural and number rules of each language.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "i18n/catalogue.hpp"
#include "tfx/result.hpp"

namespace tfx::i18n {
namespace {

constexpr Language kLanguages[] = {Language::En, Language::Fr};

std::set<std::string_view> as_set(const std::vector<std::string_view>& names) { return {names.begin(), names.end()}; }

TEST(Catalogue, EveryLanguageHasEveryMessageExactlyOnce) {
    ASSERT_GT(kMessageCount, 100u);  // the X-macro list is not empty
    for (const Language lang : kLanguages) {
        const auto entries = table(lang);
        ASSERT_EQ(entries.size(), kMessageCount) << "language " << static_cast<int>(lang);
        std::vector<int> seen(kMessageCount, 0);
        for (const Entry& e : entries) {
            ASSERT_LT(static_cast<std::size_t>(e.id), kMessageCount);
            ++seen[static_cast<std::size_t>(e.id)];
        }
        for (std::size_t i = 0; i < kMessageCount; ++i)
            EXPECT_EQ(seen[i], 1) << "message " << i << " in language " << static_cast<int>(lang);
    }
}

TEST(Catalogue, EveryTranslationUsesExactlyTheDeclaredParameters) {
    std::size_t checked = 0;
    for (const Language lang : kLanguages)
        for (const Entry& e : table(lang)) {
            const auto used = template_parameters(e.text);
            ASSERT_TRUE(used.has_value()) << "does not parse: " << e.text;
            EXPECT_EQ(as_set(*used), as_set(declared_parameters(e.id))) << e.text;
            ++checked;
        }
    EXPECT_EQ(checked, 2 * kMessageCount);
}

TEST(Catalogue, TheParserRejectsBrokenTemplates) {
    EXPECT_FALSE(template_parameters("an {unclosed").has_value());
    EXPECT_FALSE(template_parameters("empty {} name").has_value());
    EXPECT_FALSE(template_parameters("{n|one form}").has_value());
    EXPECT_FALSE(template_parameters("{n|a|b|c}").has_value());
    const auto names = template_parameters("{a} then {n|x|y} and {a} again");
    ASSERT_TRUE(names.has_value());
    EXPECT_EQ(*names, (std::vector<std::string_view>{"a", "n"}));
}

TEST(Catalogue, PluralRulesOfEachLanguage) {
    // English: only 1 is singular ("0 bytes"); French: 0 and 1 ("0 octet", "1 octet").
    EXPECT_FALSE(singular(Language::En, 0));
    EXPECT_TRUE(singular(Language::En, 1));
    EXPECT_FALSE(singular(Language::En, 2));
    EXPECT_TRUE(singular(Language::Fr, 0));
    EXPECT_TRUE(singular(Language::Fr, 1));
    EXPECT_FALSE(singular(Language::Fr, 2));
    EXPECT_EQ(said(Language::Fr, Msg::Packets, {1, 1, 0}), "\u202f; 1 paquet (1 du client, 0 du serveur)");
    EXPECT_EQ(said(Language::Fr, Msg::Packets, {2, 1, 1}), "\u202f; 2 paquets (1 du client, 1 du serveur)");
    EXPECT_EQ(said(Language::En, Msg::Packets, {0, 0, 0}), "; 0 packets (0 from the client, 0 from the server)");
}

TEST(Catalogue, ANumberGivenAsTextChoosesThePluralByItsValue) {
    // tfx::Error keeps its values as text: "1" must still take the singular.
    const std::string one = "1", two = "2", zero = "0";
    EXPECT_EQ(said(Language::En, Msg::DemoBytesDiffer, {one, "6"}), "received 1 byte, expected 6");
    EXPECT_EQ(said(Language::En, Msg::DemoBytesDiffer, {two, "6"}), "received 2 bytes, expected 6");
    EXPECT_EQ(said(Language::Fr, Msg::DemoBytesDiffer, {zero, "6"}), "0 octet reçu au lieu de 6");
    EXPECT_EQ(said(Language::Fr, Msg::DemoBytesDiffer, {two, "6"}), "2 octets reçus au lieu de 6");
    EXPECT_EQ(Error(ErrorKind::Io, Msg::DemoBytesDiffer, {"1", "6"}).text(Language::En), "received 1 byte, expected 6");
    // Text that is not a whole number takes the plural.
    EXPECT_EQ(said(Language::En, Msg::DemoBytesDiffer, {"many", "6"}), "received many bytes, expected 6");
}

TEST(Catalogue, FrenchDurationsTakeADecimalCommaWithTheSameDigits) {
    fmt::memory_buffer en, fr;
    append_duration(en, Duration{1'500'000}, Language::En);
    append_duration(fr, Duration{1'500'000}, Language::Fr);
    EXPECT_EQ(fmt::to_string(en), "1.500 ms");
    EXPECT_EQ(fmt::to_string(fr), "1,500 ms");
    fmt::memory_buffer seconds;
    append_duration(seconds, Duration{-2'250'000'000}, Language::Fr);
    EXPECT_EQ(fmt::to_string(seconds), "-2,250 s");
}

TEST(Catalogue, ParametersMayComeInAnotherOrder) {
    // The French summary puts the legs' durations before what they measure.
    EXPECT_EQ(said(Language::Fr, Msg::SummaryHandshakeRtt, {Duration{3'000}, Duration{1'000}, Duration{2'000}}),
              " (RTT 0,003 ms\u202f: 0,001 ms du SYN au SYN-ACK, 0,002 ms du SYN-ACK à l'ACK)");
}

TEST(Catalogue, LanguageNames) {
    EXPECT_EQ(parse_language("en"), Language::En);
    EXPECT_EQ(parse_language("fr"), Language::Fr);
    EXPECT_FALSE(parse_language("FR").has_value());
    EXPECT_FALSE(parse_language("fr_FR.UTF-8").has_value());
}

}  // namespace
}  // namespace tfx::i18n
