#include "text/ascii_text.hpp"

#include <array>

#include "text/utf8.hpp"

namespace tfx::text {

namespace {

// U+00C0 to U+00FF: the Latin-1 letters, each by its base letter ('?' for × and ÷).
constexpr std::string_view kLatin1Letters =
    "AAAAAAACEEEEIIII"   // ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ
    "DNOOOOO?OUUUUYTs"   // ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß
    "aaaaaaaceeeeiiii"   // àáâãäåæçèéêëìíîï
    "dnooooo?ouuuuyty";  // ðñòóôõö÷øùúûüýþÿ

struct Replacement {
    char32_t cp;
    char ascii;
};

// The other characters our sentences and drawings use, and their usual neighbours.
constexpr std::array<Replacement, 27> kOthers{{
    {0x00A0, ' '},  // no-break space
    {0x00A7, 'S'},  // section sign
    {0x00AB, '"'},  // «
    {0x00B0, 'o'},  // degree sign, as in "n°"
    {0x00B7, '.'},  // middle dot
    {0x00BB, '"'},  // »
    {0x0152, 'O'},  // Œ
    {0x0153, 'o'},  // œ
    {0x0178, 'Y'},  // Ÿ
    {0x2009, ' '},  // thin space
    {0x2010, '-'},  // hyphen
    {0x2011, '-'},  // non-breaking hyphen
    {0x2013, '-'},  // en dash
    {0x2014, '-'},  // em dash
    {0x2018, '\''}, {0x2019, '\''}, {0x201C, '"'},
    {0x201D, '"'},  {0x2026, '~'},                  // ellipsis, as the ASCII ladder draws a cut
    {0x202F, ' '},                                  // narrow no-break space (before : ; ! ? in French)
    {0x2190, '<'},  {0x2192, '>'},  {0x2500, '-'},  // box drawing, light horizontal
    {0x2502, '|'},                                  // box drawing, light vertical
    {0x2501, '='},                                  // box drawing, heavy horizontal
    {0x25B6, '>'},  {0x25C0, '<'},
}};

}  // namespace

char ascii_for(char32_t cp) {
    if (cp < 0x80) return static_cast<char>(cp);
    if (cp >= 0xC0 && cp <= 0xFF) return kLatin1Letters[cp - 0xC0];
    for (const auto& r : kOthers)
        if (r.cp == cp) return r.ascii;
    return '?';
}

std::size_t to_ascii_in_place(char* data, std::size_t size) {
    const std::string_view text(data, size);
    std::size_t out = 0;
    for (std::size_t at = 0; at < size;) {
        const Utf8Step step = decode_utf8(text, at);
        data[out++] = step.valid ? ascii_for(step.code_point) : '?';  // never ahead of `at`: in place is safe
        at += step.length;
    }
    return out;
}

std::string to_ascii(std::string_view s) {
    std::string out(s);
    out.resize(to_ascii_in_place(out.data(), out.size()));
    return out;
}

}  // namespace tfx::text
