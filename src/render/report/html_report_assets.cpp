#include "render/report/html_report_assets.hpp"

#include <fmt/format.h>

#include <iterator>

namespace tfx::render::html_report {

const std::string_view kStyle = R"css(
:root { color-scheme: light; --fg: #1b1f24; --muted: #5b636e; --line: #d5dae0; --client: #e8f1fb; --server: #f3effa;
        --sel: #ffe9a8; --warn: #8a5a00; --err: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: #fff; }
header.top { position: sticky; top: 0; z-index: 2; background: #f6f8fa; border-bottom: 1px solid var(--line);
             padding: 0.5rem 1rem; }
header.top h1 { font-size: 1.1rem; margin: 0; }
header.top p { margin: 0; color: var(--muted); font-size: 0.85rem; }
main { padding: 0 1rem 12rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
dl.capture { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; margin: 0; }
dl.capture dt { color: var(--muted); }
dl.capture dd { margin: 0; }
.note { border-left: 4px solid var(--warn); background: #fff8e6; padding: 0.4rem 0.7rem; margin: 0.6rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.connections th[data-sortable] { cursor: pointer; }
table.connections th[aria-sort="ascending"]::after { content: " \25b2"; }
table.connections th[aria-sort="descending"]::after { content: " \25bc"; }
table.segments td { font-family: ui-monospace, monospace; font-size: 12.5px; white-space: nowrap; }
table.segments td.meaning { font-family: inherit; font-size: 13.5px; white-space: normal; min-width: 24rem; }
tr.client td.dir { background: var(--client); }
tr.server td.dir { background: var(--server); }
tr[data-frame] { cursor: pointer; scroll-margin-top: 4.5rem; }
section.connection { scroll-margin-top: 4rem; }
tr.selected td, .selected { background: var(--sel) !important; outline: none; }
svg [data-frame] { cursor: pointer; }
svg line.selected, svg path.selected { stroke: #e08e00 !important; stroke-width: 4 !important; }
.meaning p { margin: 0; }
.meaning .states { color: #1d6b2f; }
.meaning .options { color: var(--muted); font-size: 12px; }
ul.findings { margin: 0.1rem 0; padding-left: 1.1rem; }
li.sev-warning { color: var(--warn); }
li.sev-error { color: var(--err); }
li.sev-note { color: var(--muted); }
figure[data-picture="none"] { display: none; }
figure { margin: 0.5rem 0; overflow-x: auto; }
figcaption { color: var(--muted); font-size: 0.85rem; }
aside#detail { position: fixed; right: 1rem; bottom: 1rem; width: min(34rem, 90vw); max-height: 45vh; overflow: auto;
               background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem;
               box-shadow: 0 4px 16px rgba(0, 0, 0, 0.15); z-index: 3; }
aside#detail h2 { margin: 0 0 0.3rem; font-size: 0.95rem; }
@media print {
  header.top { position: static; border: 0; background: none; }
  header.top p.hint, aside#detail { display: none !important; }
  main { padding-bottom: 0; }
  tr.selected td, .selected { background: none !important; }
  tr { break-inside: avoid; }
  section.connection { break-before: page; }
}
)css";

const std::string_view kScript = R"js(
(function () {
  'use strict';
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-frame]'));
  var panel = document.getElementById('detail');
  var current = -1;

  function indexOfFrame(frame) {
    for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-frame') === frame) return i;
    return -1;
  }

  function select(i) {
    if (i < 0 || i >= rows.length) return;
    var frame = rows[i].getAttribute('data-frame');
    document.querySelectorAll('.selected').forEach(function (el) { el.classList.remove('selected'); });
    document.querySelectorAll('[data-frame="' + frame + '"]').forEach(function (el) { el.classList.add('selected'); });
    current = i;
    var row = rows[i];
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var title = document.createElement('h2');
    title.textContent = '@FRAME_WORD@ ' + frame + ' \u00b7 ' + row.querySelector('.dir').textContent + ' \u00b7 ' +
                        row.querySelector('.flags').textContent;
    panel.appendChild(title);
    var meaning = row.querySelector('.meaning');
    if (meaning) {
      var copy = document.createElement('div');
      copy.className = 'meaning';
      meaning.childNodes.forEach(function (node) { copy.appendChild(node.cloneNode(true)); });
      panel.appendChild(copy);
    }
    panel.hidden = false;
    row.scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest ? event.target.closest('[data-frame]') : null;
    if (!target || (panel.contains(target))) return;
    select(indexOfFrame(target.getAttribute('data-frame')));
  });

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var step = 0;
    if (event.key === 'ArrowRight' || event.key === 'j') step = 1;
    else if (event.key === 'ArrowLeft' || event.key === 'k') step = -1;
    else if (event.key === 'Escape') {
      panel.hidden = true;
      return;
    }
    if (step === 0 || rows.length === 0) return;
    event.preventDefault();
    select(current < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, current + step)));
  });

  document.querySelectorAll('table.connections').forEach(function (table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, column) {
      th.setAttribute('data-sortable', '');
      th.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var list = Array.prototype.slice.call(body.rows);
        function key(tr) {
          var cell = tr.cells[column];
          var v = cell.getAttribute('data-sort');
          if (v === null) v = cell.textContent;
          var n = Number(v);
          return v !== '' && !isNaN(n) ? n : v.toLowerCase();
        }
        list.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === 'number' ? -1 : 1);
          return ascending ? c : -c;
        });
        list.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  });
})();
)js";

namespace {
// Where the script's detail panel title takes the word for "frame" in the report's language.
constexpr std::string_view kFrameWordSlot = "@FRAME_WORD@";
}  // namespace

void append_script(std::string& out, std::string_view frame_word) {
    const std::size_t slot = kScript.find(kFrameWordSlot);
    out += kScript.substr(0, slot);
    // Inside a single-quoted JavaScript string within <script>: no quote, backslash or '<'
    // (a "</script>") as itself.
    for (const char c : frame_word) {
        if (c == '\'' || c == '\\' || c == '<')
            fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        else
            out += c;
    }
    out += kScript.substr(slot + kFrameWordSlot.size());
}

}  // namespace tfx::render::html_report
