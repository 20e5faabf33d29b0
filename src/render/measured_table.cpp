#include "render/measured_table.hpp"

#include <algorithm>

#include "text/columns.hpp"

namespace tfx::render {

MeasuredTable::MeasuredTable(std::span<const Column> columns) : columns_(columns.begin(), columns.end()) {
    for (auto& c : columns_) c.width = std::max(c.width, text::columns(c.header));
}

void MeasuredTable::cell(std::string_view text) {
    current_.text.append(text);
    current_.ends.push_back(current_.text.size());
}

void MeasuredTable::cell(std::uint64_t value) {
    char digits[text::kMostDecimalChars];
    cell(std::string_view(digits, static_cast<std::size_t>(text::write_decimal(digits, value) - digits)));
}

void MeasuredTable::end_row(fmt::memory_buffer& out) {
    Row row = std::move(current_);
    current_ = Row{};
    if (!measuring_) {
        write_row(out, row);
        return;
    }
    std::size_t start = 0;
    for (std::size_t i = 0; i < row.ends.size() && i < columns_.size(); ++i) {
        columns_[i].width =
            std::max(columns_[i].width, text::columns(std::string_view(row.text).substr(start, row.ends[i] - start)));
        start = row.ends[i];
    }
    held_.push_back(std::move(row));
    if (held_.size() == kRowsMeasured) write_held(out);
}

void MeasuredTable::write_header_now(fmt::memory_buffer& out) { write_held(out); }

void MeasuredTable::finish(fmt::memory_buffer& out) {
    if (measuring_) write_held(out);
}

void MeasuredTable::write_held(fmt::memory_buffer& out) {
    write_header(out);
    for (const auto& row : held_) write_row(out, row);
    held_.clear();
    held_.shrink_to_fit();
    measuring_ = false;
}

void MeasuredTable::write_header(fmt::memory_buffer& out) const {
    Row header;
    for (const auto& c : columns_) {
        header.text.append(c.header);
        header.ends.push_back(header.text.size());
    }
    write_row(out, header);
}

void MeasuredTable::write_row(fmt::memory_buffer& out, const Row& row) const {
    std::size_t start = 0;
    for (std::size_t i = 0; i < row.ends.size(); ++i) {
        const std::string_view text(row.text.data() + start, row.ends[i] - start);
        start = row.ends[i];
        if (i + 1 == row.ends.size() || i >= columns_.size()) {
            text::append_bytes(out, text);  // the last column is not padded
            continue;
        }
        // append_padded() counts bytes: give it the bytes that take no column of their own.
        text::append_padded(out, text, columns_[i].width + text.size() - text::columns(text), columns_[i].align);
        for (std::size_t g = 0; g < columns_[i].gap; ++g) out.push_back(' ');
    }
    out.push_back('\n');
}

}  // namespace tfx::render
