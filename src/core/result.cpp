#include "tfx/result.hpp"

#include <vector>

#include "i18n/catalogue.hpp"

namespace tfx {

Error::Error(ErrorKind kind_, i18n::Msg id_, std::vector<std::string> values_)
    : kind(kind_), id(id_), values(std::move(values_)) {
    message = text(Language::En);
}

std::string Error::text(Language lang) const {
    const std::vector<i18n::Arg> args(values.begin(), values.end());
    return i18n::said(lang, id, args);
}

}  // namespace tfx
