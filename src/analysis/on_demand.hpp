#pragma once
// A value allocated at first use: one pointer while unused. For the parts of a per-connection
// record that few connections ever need (Zeek's out-of-order blocks): ~100k records are alive
// at once, so what every record carries inline is what the capture's memory is made of.
// Copying copies the value (the record it belongs to is copied whole, e.g. to sleep and
// wake a connection); moving hands it over.

#include <memory>
#include <utility>

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::analysis {

template <typename T>
class OnDemand {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    OnDemand() = default;
    OnDemand(const OnDemand& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    OnDemand& operator=(const OnDemand& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    OnDemand(OnDemand&&) noexcept = default;
    OnDemand& operator=(OnDemand&&) noexcept = default;
    ~OnDemand() = default;

    /// Whether the value was allocated.
    [[nodiscard]] bool allocated() const { return value_ != nullptr; }
    /// The value, value-initialised at the first call.
    T& use() {
        if (!value_) value_ = std::make_unique<T>();
        return *value_;
    }
    /// The value; only once allocated().
    [[nodiscard]] T& operator*() { return *value_; }
    [[nodiscard]] const T& operator*() const { return *value_; }
    /// Frees the value; the next use() allocates a fresh one.
    void release() { value_.reset(); }

private:
    std::unique_ptr<T> value_;
};

}  // namespace tfx::analysis
