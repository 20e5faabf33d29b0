#pragma once
/// A minimal std::expected stand-in (C++20 has none) for operations that can fail on input.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tfx/language.hpp"

namespace tfx {

namespace i18n {
/// The identifiers of the message catalogue's sentences (declared in full inside the library).
enum class Msg : std::uint16_t;
}  // namespace i18n

/// Kinds of fatal error; each maps to a distinct process exit status (see README).
enum class ErrorKind {
    Usage,            ///< bad command line or expectation syntax
    CannotOpen,       ///< file missing or unreadable
    NotACapture,      ///< not a pcap/pcapng file, or a damaged file header
    UnsupportedLink,  ///< link-layer type we do not decode
    BadFilter,        ///< BPF expression does not compile
    Permission,       ///< live capture not permitted
    Io,               ///< other I/O failure (write error, interface vanished)
};

/// The kind's stable name for machine-read output ("cannot_open", "not_a_capture", ...):
/// snake case, never translated, never renamed.
[[nodiscard]] std::string_view code(ErrorKind kind);

/// A fatal error: its kind and its sentence, kept as a catalogue message and the values it
/// names so that a front end can say it in its user's language. A value that another layer
/// wrote (the system's strerror(), libpcap's error text) stays as that layer wrote it.
struct Error {
    Error(ErrorKind kind, i18n::Msg id, std::vector<std::string> values = {});
    /// A sentence that ends with another one, `cause`, said in the same language: the
    /// message's last parameter is the cause, `values` are the ones before it.
    Error(ErrorKind kind, i18n::Msg id, std::vector<std::string> values, const Error& cause);

    ErrorKind kind{};
    std::string message;  ///< the sentence in English
    i18n::Msg id;
    std::vector<std::string> values;     ///< in the order the message declares its parameters
    std::shared_ptr<const Error> cause;  ///< the sentence's last parameter, when it is a sentence

    /// The sentence in `lang`.
    [[nodiscard]] std::string text(Language lang) const;
};

template <typename T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] T& value() { return std::get<0>(v_); }
    [[nodiscard]] const T& value() const { return std::get<0>(v_); }
    [[nodiscard]] const Error& error() const { return std::get<1>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> v_;
};

}  // namespace tfx
