#!/usr/bin/env python3
"""check_html.py: structural checks of an HTML report (-F html), with Python's own parser.

    check_html.py REPORT.html --frames 1-8 [--source NAME]

Fails (exit 1, one line per problem) unless:
  - every element that is not void closes, in order (no stray or unclosed tag);
  - the document is one <html> with <head>, <body>, one inline <script> and one <style>
    (the pictures' SVG may hold styles of their own, and no script);
  - nothing is loaded from elsewhere: no src, href or url(...) leaving the file (links to
    "#..." anchors only), no <img>, <link>, <iframe>, <object> or <embed>;
  - the segment rows (<tr data-frame="N">) are exactly the frames given, once each;
  - with --source, the header's capture name reads back exactly as NAME (a hostile file name
    shows as text: escaped, never as markup).
"""
import argparse
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets one leave out; the report closes them all the same.
FORBIDDEN = {"img", "link", "iframe", "object", "embed", "base"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []
        self.counts = {}
        self.frames = []
        self.source_text = None
        self.in_source = False

    def where(self):
        line, col = self.getpos()
        return f"line {line}:{col}"

    def in_svg(self):
        return any(open_tag == "svg" for open_tag, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        # A picture's own <style> lives inside its <svg>: counted apart from the page's.
        key = f"svg:{tag}" if self.in_svg() and tag != "svg" else tag
        self.counts[key] = self.counts.get(key, 0) + 1
        attrs = dict(attrs)
        if tag in FORBIDDEN:
            self.problems.append(f"{self.where()}: <{tag}> element (the report loads nothing)")
        for name in ("src", "href", "action", "formaction", "poster", "data"):
            value = attrs.get(name)
            if value is not None and not value.startswith("#"):
                self.problems.append(f"{self.where()}: <{tag} {name}={value!r}> leaves the file")
        for name in attrs:
            if name.startswith("on"):
                self.problems.append(f"{self.where()}: <{tag}> has an event-handler attribute {name}")
        if tag == "tr" and "data-frame" in attrs:
            self.frames.append(attrs["data-frame"])
        if tag == "span" and attrs.get("class") == "source" and self.source_text is None:
            self.in_source = True
            self.source_text = ""
        if tag not in VOID:
            self.stack.append((tag, self.where()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"{self.where()}: end tag of void element </{tag}>")
            return
        if not self.stack:
            self.problems.append(f"{self.where()}: </{tag}> closes nothing")
            return
        open_tag, opened = self.stack.pop()
        if open_tag != tag:
            self.problems.append(f"{self.where()}: </{tag}> closes <{open_tag}> opened at {opened}")
        if tag == "span" and self.in_source:
            self.in_source = False

    def handle_data(self, data):
        if self.in_source:
            self.source_text += data
        if "url(" in data and ("http" in data or "//" in data):
            self.problems.append(f"{self.where()}: url(...) in text or style")


def frame_list(spec):
    first, _, last = spec.partition("-")
    return [str(n) for n in range(int(first), int(last or first) + 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--frames", required=True, help="first-last frame numbers the report must list")
    parser.add_argument("--source", help="the capture name the header must show")
    args = parser.parse_args()

    with open(args.report, encoding="utf-8") as f:
        html = f.read()
    checker = Checker()
    checker.feed(html)
    checker.close()
    problems = checker.problems
    for tag, opened in checker.stack:
        problems.append(f"<{tag}> opened at {opened} never closes")
    for tag, want in (("html", 1), ("head", 1), ("body", 1), ("script", 1), ("style", 1), ("main", 1), ("svg:script", 0)):
        if checker.counts.get(tag, 0) != want:
            problems.append(f"{checker.counts.get(tag, 0)} <{tag}> element(s), expected {want}")
    want_frames = frame_list(args.frames)
    if checker.frames != want_frames:
        problems.append(f"segment rows are frames {checker.frames}, expected {want_frames}")
    if args.source is not None and checker.source_text != args.source:
        problems.append(f"header shows the capture as {checker.source_text!r}, expected {args.source!r}")
    for p in problems:
        print(f"check_html: {args.report}: {p}", file=sys.stderr)
    if not problems:
        print(f"check_html: {args.report}: ok ({len(checker.frames)} segment rows)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
