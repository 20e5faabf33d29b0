#include "flow/activity_lists.hpp"

namespace tfx::flow {

void ActivityLists::add(std::uint32_t slot, TimeoutClass cls, Timestamp now) {
    if (slot >= links_.size()) links_.resize(std::size_t{slot} + 1);
    Link& l = links_[slot];
    if (l.listed)
        unlink(slot);
    else
        ++listed_;
    l.last = now;
    l.listed = true;
    push_front(slot, cls);
}

void ActivityLists::touch(std::uint32_t slot, TimeoutClass cls, Timestamp now) {
    Link& l = links_[slot];
    if (now > l.last) l.last = now;
    if (lists_[static_cast<std::size_t>(cls)].head == slot && l.cls == cls) return;
    unlink(slot);
    push_front(slot, cls);
}

void ActivityLists::remove(std::uint32_t slot) {
    if (!contains(slot)) return;
    unlink(slot);
    links_[slot].listed = false;
    --listed_;
}

void ActivityLists::unlink(std::uint32_t slot) {
    Link& l = links_[slot];
    List& list = lists_[static_cast<std::size_t>(l.cls)];
    if (l.prev != kNone)
        links_[l.prev].next = l.next;
    else
        list.head = l.next;
    if (l.next != kNone)
        links_[l.next].prev = l.prev;
    else
        list.tail = l.prev;
    l.prev = l.next = kNone;
}

void ActivityLists::push_front(std::uint32_t slot, TimeoutClass cls) {
    Link& l = links_[slot];
    List& list = lists_[static_cast<std::size_t>(cls)];
    l.cls = cls;
    l.prev = kNone;
    l.next = list.head;
    if (list.head != kNone) links_[list.head].prev = slot;
    list.head = slot;
    if (list.tail == kNone) list.tail = slot;
}

}  // namespace tfx::flow
