#include "render/pending_bytes.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "i18n/messages.hpp"

namespace tfx::render {

namespace {
// The system's reason for the failure errno holds.
SpillFailure failure(i18n::Msg what) { return SpillFailure(Error{ErrorKind::Io, what, {std::strerror(errno)}}); }
}  // namespace

PendingBytes::~PendingBytes() {
    if (file_ != nullptr) std::fclose(file_);
}

void PendingBytes::append(ConversationId id, std::string_view bytes) {
    entries_[id].tail.append(bytes);
    in_memory_ += bytes.size();
    if (in_memory_ > budget_ && !file_failed_) spill();
}

bool PendingBytes::empty(ConversationId id) const {
    const auto it = entries_.find(id);
    return it == entries_.end() || (it->second.spilled.empty() && it->second.tail.empty());
}

void PendingBytes::spill() {
    if (file_ == nullptr) {
        file_ = std::tmpfile();  // unnamed: gone when closed, even after a crash
        if (file_ == nullptr) {
            file_failed_ = true;
            return;
        }
        std::setvbuf(file_, nullptr, _IOFBF, std::size_t{1} << 20);  // few, large writes
    }
    // Largest first: few writes, few chunks. Sorting pointers to every waiting entry costs
    // little next to the half budget each spill frees.
    std::vector<Entry*> order;
    order.reserve(entries_.size());
    for (auto& [id, e] : entries_)
        if (!e.tail.empty()) order.push_back(&e);
    std::sort(order.begin(), order.end(),
              [](const Entry* a, const Entry* b) { return a->tail.size() > b->tail.size(); });
    for (Entry* e : order) {
        if (in_memory_ <= budget_ / 2) break;
        const std::size_t n = e->tail.size();
        if (std::fwrite(e->tail.data(), 1, n, file_) != n) {  // the file is only ever appended to
            file_failed_ = true;                              // disk full: keep the rest in memory
            return;
        }
        e->spilled.push_back(Chunk{file_size_, n});
        file_size_ += n;
        spilled_total_ += n;
        in_memory_ -= n;
        std::string().swap(e->tail);
    }
}

void PendingBytes::take(ConversationId id, const std::function<void(std::string_view)>& sink) {
    const auto it = entries_.find(id);
    if (it == entries_.end()) return;
    Entry& e = it->second;
    if (!e.spilled.empty()) {
        // Reads go around the FILE buffer (pread at an offset), so the append position and
        // the write buffer stay as they are; only what is buffered must reach the file first.
        if (std::fflush(file_) != 0) throw failure(i18n::Msg::SpillWriteFailed);
        std::string piece;
        for (const Chunk& c : e.spilled) {
            for (std::uint64_t done = 0; done < c.size;) {
                const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(c.size - done, kPieceSize));
                piece.resize(n);
                const auto got = ::pread(fileno(file_), piece.data(), n, static_cast<off_t>(c.offset + done));
                if (got < 0) throw failure(i18n::Msg::SpillReadFailed);
                if (got == 0) {
                    const Error short_file{ErrorKind::Io, i18n::Msg::SpillFileShort};
                    throw SpillFailure(Error{ErrorKind::Io, i18n::Msg::SpillReadFailed, {}, short_file});
                }
                piece.resize(static_cast<std::size_t>(got));
                sink(piece);
                done += static_cast<std::uint64_t>(got);
            }
        }
    }
    for (std::size_t at = 0; at < e.tail.size(); at += kPieceSize)
        sink(std::string_view(e.tail).substr(at, kPieceSize));
    in_memory_ -= e.tail.size();
    entries_.erase(it);
}

}  // namespace tfx::render
