#pragma once
// An intrusive list of objects in their order of use, most recent first: O(1) to put one
// first, to take one out and to find the least recent. An object is linked by deriving from
// RecencyLinks<T, Tag> once per list it can stand in (the tag names the list), so nothing is
// allocated and the list can be declared before T is complete.

#include <cstddef>

namespace tfx::run {

template <typename T, typename Tag>
struct RecencyLinks {
    T* more_recent = nullptr;
    T* less_recent = nullptr;
    bool listed = false;
};

/// The objects of one list (`Tag`), most recently used first.
template <typename T, typename Tag>
class RecencyList {
public:
    /// Puts `item` first, whether it was listed or not.
    void use(T& item) {
        if (most_ == &item) return;
        remove(item);
        Links& links = links_of(item);
        links.less_recent = most_;
        links.listed = true;
        if (most_ != nullptr) links_of(*most_).more_recent = &item;
        most_ = &item;
        if (least_ == nullptr) least_ = &item;
        ++size_;
    }

    /// Takes `item` out of the list; nothing when it is not listed.
    void remove(T& item) {
        Links& links = links_of(item);
        if (!links.listed) return;
        (links.more_recent != nullptr ? links_of(*links.more_recent).less_recent : most_) = links.less_recent;
        (links.less_recent != nullptr ? links_of(*links.less_recent).more_recent : least_) = links.more_recent;
        links = {};
        --size_;
    }

    [[nodiscard]] T* least_recent() const { return least_; }
    [[nodiscard]] std::size_t size() const { return size_; }

private:
    using Links = RecencyLinks<T, Tag>;
    static Links& links_of(T& item) { return static_cast<Links&>(item); }

    T* most_ = nullptr;
    T* least_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace tfx::run
