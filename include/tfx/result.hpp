#pragma once
/// A minimal std::expected stand-in (C++20 has none) for operations that can fail on input.

#include <string>
#include <utility>
#include <variant>

namespace tfx {

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

struct Error {
    ErrorKind kind{};
    std::string message;
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
