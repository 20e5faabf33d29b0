#include "stream/follow_printer.hpp"

#include <algorithm>

#include "i18n/catalogue.hpp"
#include "render/text_style.hpp"

namespace tfx::stream {

namespace {

using i18n::Msg;

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

}  // namespace

// The chosen connection's directions: their bytes are printed.
class FollowPrinter::Printed : public StreamSink {
public:
    Printed(FollowPrinter& printer, const StreamDirection& direction) : printer_(printer), direction_(direction) {}

    void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex /*frame*/) override {
        printer_.start_run(direction_, offset);
        std::fputs(printer_.side_color(direction_.sender).data(), printer_.out_);
        printer_.print_bytes(offset, data);
        std::fputs(printer_.reset().data(), printer_.out_);
        printer_.next_offset_ = offset + data.size();
    }
    void missing(std::uint64_t offset, std::uint64_t length, MissingReason reason) override {
        if (printer_.format_ == FollowFormat::Raw) return;
        const Language lang = printer_.lang_;
        printer_.print_finding(
            i18n::said(lang, Msg::FollowMissing,
                       {i18n::role_word(lang, direction_.sender), length, offset, said_reason(reason, lang)}));
    }
    void beyond_fin(ByteRange range, FrameIndex /*frame*/) override {
        note({NoteKind::AfterFin, range.offset, range.length});
    }
    void note(const StreamNote& said) override { printer_.print_note(direction_.sender, said); }

private:
    FollowPrinter& printer_;
    StreamDirection direction_;
};

// Every other connection's: rebuilt, not shown.
class FollowPrinter::Ignored : public StreamSink {
public:
    void bytes(std::uint64_t /*offset*/, std::span<const std::byte> /*data*/, FrameIndex /*frame*/) override {}
    void missing(std::uint64_t /*offset*/, std::uint64_t /*length*/, MissingReason /*reason*/) override {}
};

FollowPrinter::FollowPrinter(std::FILE* out, ConversationId connection, FollowFormat format, std::optional<Role> only,
                             bool color, Language lang)
    : out_(out),
      connection_(connection),
      format_(format),
      only_(only),
      color_(color && format != FollowFormat::Raw),
      lang_(lang),
      ignored_(std::make_unique<Ignored>()) {}

FollowPrinter::~FollowPrinter() = default;

StreamSink& FollowPrinter::opened(const StreamDirection& direction) {
    if (direction.connection != connection_ || (only_ && *only_ != direction.sender)) return *ignored_;
    found_ = true;
    auto& printed = printed_[static_cast<std::size_t>(index_of(direction.sender))];
    printed = std::make_unique<Printed>(*this, direction);
    return *printed;
}

void FollowPrinter::closed(const StreamDirection& direction, const StreamEnd& end) {
    auto& printed = printed_[static_cast<std::size_t>(index_of(direction.sender))];
    if (direction.connection != connection_ || !printed) return;
    if (format_ != FollowFormat::Raw) {
        end_line();
        const std::string totals = i18n::said(lang_, Msg::FollowTotals,
                                              {i18n::role_word(lang_, direction.sender), end.totals.delivered_bytes,
                                               end.totals.missing_bytes, end.totals.missing_ranges});
        std::fprintf(out_, "%s\n", totals.c_str());
    }
    current_.reset();
    printed.reset();
}

void FollowPrinter::finished() { end_line(); }

void FollowPrinter::print_note(Role sender, const StreamNote& note) {
    if (format_ == FollowFormat::Raw) return;
    print_finding(i18n::said(lang_, Msg::FollowNote, {i18n::role_word(lang_, sender), describe(note, lang_)}));
}

void FollowPrinter::print_finding(const std::string& line) {
    end_line();
    const std::string_view on = render::Style{color_}.warn();
    std::fprintf(out_, "%.*s%s%.*s\n", static_cast<int>(on.size()), on.data(), line.c_str(),
                 static_cast<int>(reset().size()), reset().data());
    current_.reset();
}

std::string_view FollowPrinter::side_color(Role sender) const {
    const render::Style style{color_};
    return sender == Role::Client ? style.client() : style.server();
}

std::string_view FollowPrinter::reset() const { return render::Style{color_}.reset(); }

void FollowPrinter::start_run(const StreamDirection& direction, std::uint64_t offset) {
    if (current_ == direction.sender && next_offset_ == offset) return;
    current_ = direction.sender;
    if (format_ == FollowFormat::Raw) return;
    end_line();
    const std::string_view on = side_color(direction.sender);
    const std::string head = i18n::said(
        lang_, Msg::FollowRunHead,
        {i18n::role_word(lang_, direction.sender), direction.src.to_string(), direction.dst.to_string(), offset});
    std::fprintf(out_, "%.*s%s%.*s\n", static_cast<int>(on.size()), on.data(), head.c_str(),
                 static_cast<int>(reset().size()), reset().data());
}

void FollowPrinter::print_bytes(std::uint64_t offset, std::span<const std::byte> data) {
    switch (format_) {
        case FollowFormat::Raw: std::fwrite(data.data(), 1, data.size(), out_); return;
        case FollowFormat::Hex:
            for (std::size_t line = 0; line < data.size(); line += 16) {
                const auto row = data.subspan(line, std::min<std::size_t>(16, data.size() - line));
                std::fprintf(out_, "%08llx ", ull(offset + line));
                for (std::size_t i = 0; i < 16; ++i) {
                    if (i < row.size())
                        std::fprintf(out_, " %02x", static_cast<unsigned>(row[i]));
                    else
                        std::fputs("   ", out_);
                }
                std::fputs("  ", out_);
                for (const std::byte b : row) {
                    const auto c = static_cast<unsigned char>(b);
                    std::fputc(c >= 0x20 && c < 0x7f ? c : '.', out_);
                }
                std::fputc('\n', out_);
            }
            return;
        case FollowFormat::Text:
            for (const std::byte b : data) {
                const auto c = static_cast<unsigned char>(b);
                if (c == '\n') {
                    std::fputc('\n', out_);
                    line_open_ = false;
                    continue;
                }
                if (c == '\\')
                    std::fputs("\\\\", out_);
                else if ((c >= 0x20 && c < 0x7f) || c == '\t')
                    std::fputc(c, out_);
                else
                    std::fprintf(out_, "\\x%02x", static_cast<unsigned>(c));
                line_open_ = true;
            }
            return;
    }
}

void FollowPrinter::end_line() {
    if (!line_open_) return;
    std::fputc('\n', out_);
    line_open_ = false;
}

}  // namespace tfx::stream
