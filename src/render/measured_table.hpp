#pragma once
// A text table whose column widths come from its data: each column is as wide as its default
// width, its header or its widest cell, counted in columns (a French header has accented
// letters), so IPv6 addresses and long names keep the columns in line. The first rows are held and measured before anything is written (bounded: at most
// kRowsMeasured of them); rows after those are written at once at the widths found, and a
// longer cell then widens only its own row.

#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/append.hpp"

namespace tfx::render {

class MeasuredTable {
public:
    static constexpr std::size_t kRowsMeasured = 1024;

    struct Column {
        std::string_view header;
        std::size_t width;  ///< the least width: the layout of a table of short cells
        text::Align align;
        std::size_t gap;  ///< spaces after the column (none after the last one)
    };

    /// Each column starts at least as wide as its header.
    explicit MeasuredTable(std::span<const Column> columns);

    /// The next cell of the current row.
    void cell(std::string_view text);
    void cell(std::uint64_t value);
    /// Ends the current row; writes to `out` what is ready to be written.
    void end_row(fmt::memory_buffer& out);
    /// Writes the header now, at the least widths, and every row as it ends (a live capture,
    /// whose rows must not wait).
    void write_header_now(fmt::memory_buffer& out);
    /// Writes the header and the rows still held (the end of the table).
    void finish(fmt::memory_buffer& out);

private:
    struct Row {
        std::string text;               ///< the cells, one after the other
        std::vector<std::size_t> ends;  ///< where each cell ends in `text`
    };
    void write_header(fmt::memory_buffer& out) const;
    void write_row(fmt::memory_buffer& out, const Row& row) const;
    void write_held(fmt::memory_buffer& out);

    std::vector<Column> columns_;
    Row current_;
    std::vector<Row> held_;
    bool measuring_ = true;
};

}  // namespace tfx::render
