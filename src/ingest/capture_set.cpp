#include "ingest/capture_set.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <tuple>
#include <utility>

#include "i18n/messages.hpp"
#include "ingest/capture_description.hpp"
#include "text/quoted.hpp"

namespace tfx::ingest {

using text::quoted;

namespace {

// Whether `e` or the sentence it ends with names `value`.
bool names(const Error& e, const std::string& value) {
    if (std::find(e.values.begin(), e.values.end(), value) != e.values.end()) return true;
    return e.cause && names(*e.cause, value);
}

// Why the file at `path` ended early (`status` neither Frame nor End), in a sentence that
// names it: a message that names it already, else "'path': why".
Error ended_early_in(const std::string& path, ReadStatus status, const std::string& message, const PcapReader& reader) {
    Error why = *early_end(status, message, reader.problem());
    const std::string name = quoted(path);
    if (names(why, name)) return why;
    return Error{why.kind, i18n::Msg::ReadStoppedIn, {name}, why};
}

}  // namespace

struct CaptureSet::Merge {
    struct File {
        std::string path;
        std::size_t order = 0;  // position among the files read
        Timestamp first_ts{};
        std::vector<int> link_types;
        std::optional<FileIdentity> identity;
    };
    // A file being read: its reader and the frame it holds next (valid until its next read).
    struct Open {
        std::size_t file = 0;
        PcapReader reader;
        RawFrame head;
    };

    std::vector<File> files;              // in the order given
    std::vector<std::size_t> waiting;     // files not opened yet, by (first_ts, order), next last
    std::vector<Open> open;               // a heap on (head.ts, order): the earliest at front
    std::optional<PcapReader> describer;  // the first file, never read: describes the set, writes -w
    std::vector<Skipped> skipped;
    std::string filter;
    std::optional<Error> ended_early;    // the first file whose reading ended in damage, and why
    std::optional<std::size_t> advance;  // the open file whose head was handed out last
    std::shared_ptr<FrameFiles> frame_files = std::make_shared<FrameFiles>();
    FrameIndex index = 0;
    std::atomic<bool> stop{false};

    // Whether the open file `a` comes after `b` (for std::*_heap: a max-heap on "later").
    [[nodiscard]] bool later(const Open& a, const Open& b) const {
        return std::tie(a.head.ts, files[a.file].order) > std::tie(b.head.ts, files[b.file].order);
    }
    void push(Open o) {
        open.push_back(std::move(o));
        std::push_heap(open.begin(), open.end(), [this](const Open& a, const Open& b) { return later(a, b); });
    }
    Open pop() {
        std::pop_heap(open.begin(), open.end(), [this](const Open& a, const Open& b) { return later(a, b); });
        Open o = std::move(open.back());
        open.pop_back();
        return o;
    }
    // Reads the next frame of `o`: back in the heap with it, or closed at its end.
    void read_on(Open o) {
        std::string message;
        const ReadStatus status = o.reader.next(o.head, message);
        if (status == ReadStatus::Frame) return push(std::move(o));
        if (status != ReadStatus::End && !ended_early)
            ended_early = ended_early_in(files[o.file].path, status, message, o.reader);
    }
    // Opens the waiting file `f` again and reads its first frame.
    void start(std::size_t f) {
        auto opened = PcapReader::open_file(files[f].path);
        if (!opened) {
            if (!ended_early) ended_early = opened.error();
            return;
        }
        if (!filter.empty()) static_cast<void>(opened->prepare_filter(filter));
        read_on(Open{f, std::move(opened.value()), RawFrame{}});
    }
    // Whether the waiting file `f` starts before the earliest open file's next frame.
    [[nodiscard]] bool starts_first(std::size_t f) const {
        if (open.empty()) return true;
        const Open& o = open.front();
        return std::tie(files[f].first_ts, files[f].order) < std::tie(o.head.ts, files[o.file].order);
    }
};

CaptureSet::CaptureSet(PcapReader single) : single_(std::move(single)) {}
CaptureSet::CaptureSet(CaptureSet&&) noexcept = default;
CaptureSet& CaptureSet::operator=(CaptureSet&&) noexcept = default;
CaptureSet::~CaptureSet() = default;

Result<CaptureSet> CaptureSet::open_files(const std::vector<std::string>& paths, const std::string& filter,
                                          bool keep_going) {
    auto merge = std::make_unique<Merge>();
    merge->filter = filter;
    std::optional<Error> filter_error;
    bool filter_applies = filter.empty();
    for (const std::string& path : paths) {
        auto opened = PcapReader::open_file(path);
        if (opened && !filter.empty()) {
            if (auto f = opened->prepare_filter(filter); !f) {
                if (!filter_error) filter_error = f.error();
            } else {
                filter_applies = true;
            }
        }
        if (!opened) {
            if (!keep_going) return opened.error();
            merge->skipped.push_back(Skipped{path, opened.error()});
            continue;
        }
        Merge::File file{path, merge->files.size(), Timestamp{}, opened->link_types(), opened->input_identity()};
        RawFrame first;
        std::string message;
        const ReadStatus status = opened->next(first, message);
        if (status == ReadStatus::Frame) {
            file.first_ts = first.ts;
            merge->waiting.push_back(file.order);
        } else if (status != ReadStatus::End && !merge->ended_early) {
            merge->ended_early = ended_early_in(path, status, message, opened.value());
        }
        if (!merge->describer) {
            // A fresh reader: the one above has read a frame.
            auto describer = PcapReader::open_file(path);
            if (!describer) return describer.error();
            merge->describer.emplace(std::move(describer.value()));
        }
        merge->files.push_back(std::move(file));
    }
    if (!filter_applies && filter_error) return *filter_error;
    if (merge->files.empty()) return Error{ErrorKind::Usage, i18n::Msg::ErrEverySkipped};
    const auto& files = merge->files;
    std::sort(merge->waiting.begin(), merge->waiting.end(), [&files](std::size_t a, std::size_t b) {
        return std::tie(files[b].first_ts, files[b].order) < std::tie(files[a].first_ts, files[a].order);
    });
    CaptureSet set;
    set.merge_ = std::move(merge);
    return set;
}

ReadStatus CaptureSet::next_merged(RawFrame& out, std::string& message) {
    Merge& m = *merge_;
    for (;;) {
        if (m.stop.load(std::memory_order_relaxed)) return ReadStatus::End;
        // The frame handed out last is done with: its file may read on.
        if (m.advance) {
            m.advance.reset();
            m.read_on(m.pop());
        }
        while (!m.waiting.empty() && m.starts_first(m.waiting.back())) {
            const std::size_t f = m.waiting.back();
            m.waiting.pop_back();
            m.start(f);
        }
        if (m.open.empty()) {
            if (!m.ended_early) return ReadStatus::End;
            message = m.ended_early->message;
            return ReadStatus::Truncated;
        }
        // The earliest frame stays at the heap's front until the next call.
        Merge::Open& earliest = m.open.front();
        m.advance = earliest.file;
        ++m.index;
        if (!m.filter.empty() && !earliest.reader.accepts(earliest.head)) continue;
        out = earliest.head;
        out.index = m.index;
        m.frame_files->record(m.index, m.files[earliest.file].order);
        return ReadStatus::Frame;
    }
}

Result<bool> CaptureSet::set_filter(const std::string& bpf) {
    if (merge_ == nullptr) return single_->set_filter(bpf);
    return true;
}

PcapReader& CaptureSet::first() { return merge_ == nullptr ? *single_ : *merge_->describer; }

std::vector<std::string> CaptureSet::files() const {
    std::vector<std::string> paths;
    if (merge_ == nullptr) return paths;
    for (const auto& f : merge_->files) paths.push_back(f.path);
    return paths;
}

std::optional<Error> CaptureSet::problem() const {
    if (merge_ == nullptr) return single_->problem();
    return merge_->ended_early;
}

const std::vector<CaptureSet::Skipped>& CaptureSet::skipped() const {
    static const std::vector<Skipped> none;
    return merge_ == nullptr ? none : merge_->skipped;
}

std::vector<int> CaptureSet::link_types() const {
    if (merge_ == nullptr) return single_->link_types();
    std::vector<int> types;
    for (const auto& f : merge_->files)
        for (int t : f.link_types)
            if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
    return types;
}

std::shared_ptr<const FrameFiles> CaptureSet::frame_files() const {
    return merge_ == nullptr ? nullptr : merge_->frame_files;
}

Result<bool> CaptureSet::open_dump(const std::string& path) {
    if (merge_ == nullptr) return single_->open_dump(path);
    if (link_types().size() > 1) return Error{ErrorKind::Usage, i18n::Msg::ErrDumpSetSeveralLinkTypes, {quoted(path)}};
    return merge_->describer->open_dump(path, input_identities());
}

std::vector<FileIdentity> CaptureSet::input_identities() const {
    std::vector<FileIdentity> inputs;
    if (merge_ == nullptr) {
        if (auto one = single_->input_identity()) inputs.push_back(*one);
        return inputs;
    }
    for (const Merge::File& f : merge_->files)
        if (f.identity) inputs.push_back(*f.identity);
    return inputs;
}

void CaptureSet::break_loop() noexcept {
    if (merge_ == nullptr) return single_->break_loop();
    merge_->stop.store(true, std::memory_order_relaxed);
}

}  // namespace tfx::ingest
