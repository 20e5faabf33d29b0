#include "check/connection_list.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "i18n/catalogue.hpp"

namespace tfx::check {

Parsed<std::vector<ConversationId>> parse_connection_numbers(std::string_view text, Language lang) {
    std::vector<ConversationId> numbers;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        ConversationId value = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || value == 0)
            return SourceError{i18n::said(lang, i18n::Msg::ErrConnectionNumber, {item}), start,
                               std::max<std::size_t>(1, item.size())};
        numbers.push_back(value);
        if (comma == text.size()) break;
        start = comma + 1;
    }
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    return numbers;
}

}  // namespace tfx::check
