#include "tfx/result.hpp"

#include <vector>

#include "i18n/catalogue.hpp"

namespace tfx {

std::string_view code(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Usage: return "usage";
        case ErrorKind::CannotOpen: return "cannot_open";
        case ErrorKind::NotACapture: return "not_a_capture";
        case ErrorKind::UnsupportedLink: return "unsupported_link";
        case ErrorKind::BadFilter: return "bad_filter";
        case ErrorKind::Permission: return "permission";
        case ErrorKind::Io: return "io";
    }
    return "io";
}

Error::Error(ErrorKind kind_, i18n::Msg id_, std::vector<std::string> values_)
    : kind(kind_), id(id_), values(std::move(values_)) {
    message = text(Language::En);
}

Error::Error(ErrorKind kind_, i18n::Msg id_, std::vector<std::string> values_, const Error& cause_)
    : kind(kind_), id(id_), values(std::move(values_)), cause(std::make_shared<const Error>(cause_)) {
    message = text(Language::En);
}

std::string Error::text(Language lang) const {
    const std::string said_cause = cause ? cause->text(lang) : std::string{};
    std::vector<i18n::Arg> args(values.begin(), values.end());
    if (cause) args.emplace_back(said_cause);
    return i18n::said(lang, id, args);
}

}  // namespace tfx
