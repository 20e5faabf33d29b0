#!/usr/bin/env python3
"""check-sentences.py: every sentence a person reads comes from the message catalogue.

Sentences in C++ string literals outside src/i18n/ are said in English whatever --lang asks,
so a new one fails this check until it is a catalogue message (src/i18n/messages.hpp, with
its English and French) or is listed below with the reason it is not said to a person in
their language. A literal counts as a sentence when it holds three words in a row
("standard input is"); comments, assertions and the messages of programming errors (a bug,
never a user's mistake) are not read.
    scripts/check-sentences.py [SOURCE_DIR]      exit 1 and list the sentences found"""
import re
import sys
from pathlib import Path

# (file, a piece of the literal) -> why it is not a catalogue message.
ALLOWED = {
    ("src/cli/main.cpp", "out of memory"): "said where no language is known any more (std::bad_alloc)",
    ("src/cli/language_option.cpp", "the languages are"): "the language asked for is not one we speak",
    ("src/cli/parse_error_text.cpp", "Expected at least "): "CLI11's own words, matched to translate them",
    ("src/cli/parse_error_text.cpp", " required but received "): "CLI11's own words, matched",
    ("src/cli/parse_error_text.cpp", " was given a disallowed flag override"): "CLI11's own words, matched",
    ("src/cli/parse_error_text.cpp", " not in range "): "CLI11's own words, matched",
    ("src/cli/parse_error_text.cpp", "Could not convert: "): "CLI11's own words, matched",
    ("src/cli/parse_error_text.cpp", ": too many inputs for a flag"): "CLI11's own words, matched",
    ("src/cli/parse_error_text.cpp", ": Should be true/false or a number"): "CLI11's own words, matched",
    ("src/cli/parse_error_text.cpp", " is not an allowed value for "): "CLI11's own words, matched",
    ("src/check/rules.cpp", "end of input"): "nlohmann::json's own words, matched to translate them",
    ("src/check/rules.cpp", "'[', '{', or a literal"): "nlohmann::json's own words, matched",
    ("src/ingest/pcap_reader.cpp", "different from the type of the first interface"): "libpcap's words, matched",
    ("src/ingest/pcap_reader.cpp", "capture is closed"): "next() on a reader that was moved from: a bug",
    ("src/render/pictures/mermaid.cpp", "Note left of"): "Mermaid's syntax",
    ("src/render/pictures/mermaid.cpp", "Note right of"): "Mermaid's syntax",
    ("src/render/json.cpp", "a JSON segment record was cut short"): "an internal error: our own spill file",
    ("src/demo/private_loopback.cpp", "tc qdisc add dev lo root tbf"): "a command, named as typed",
    ("src/demo/private_loopback.cpp", "SIOCSIFFLAGS lo up"): "a system call, named as the system names it",
    ("src/demo/scenarios.cpp", "answer, sent after your FIN"): "the bytes the demo's server sends",
    ("src/demo/demo_command.cpp", "tcp and host 127.0.0.1 and port"): "a BPF filter",
    ("src/core/link_types.cpp", " (Linux "): "link types' names, as tcpdump names them",
}

# Lines whose literals are programming errors or compile-time checks, not said to a user.
NOT_SAID = re.compile(r"static_assert\s*\(|\bassert\s*\(|\bmalformed\s*\(|logic_error\s*\(")
SENTENCE = re.compile(r"[A-Za-z']+ [a-z']+ [a-z']+")


def literals(text):
    """(line number, literal) of every string literal outside comments. Raw strings (the HTML
    report's style sheet and script) are skipped."""
    found = []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                break
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
            continue
        elif text.startswith('R"', i) and not (text[i - 1].isalnum() or text[i - 1] == "_"):
            open_paren = text.find("(", i)
            closing = ")" + text[i + 2:open_paren] + '"'
            close_at = text.find(closing, open_paren)
            end = n if close_at < 0 else close_at + len(closing)
            line += text.count("\n", i, end)
            i = end
            continue
        elif c == "'" and i + 2 < n:
            # A character literal ('"' or '\''), not a string's start.
            end = text.find("'", i + 2 if text[i + 1] == "\\" else i + 1)
            if 0 < end - i <= 4:
                i = end + 1
                continue
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            found.append((line, text[i + 1:j]))
            i = j + 1
            continue
        i += 1
    return found


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    problems = []
    used = set()
    for path in sorted(list((root / "src").rglob("*.[ch]pp")) + list((root / "include").rglob("*.hpp"))):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("src/i18n/"):
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for number, literal in literals(text):
            # The statement a literal belongs to starts at most three lines above it.
            statement = "\n".join(lines[max(0, number - 4):number])
            if not SENTENCE.search(literal) or NOT_SAID.search(statement):
                continue
            allowed = [key for key in ALLOWED if key[0] == rel and key[1] in literal]
            if allowed:
                used.update(allowed)
                continue
            problems.append(f"{rel}:{number}: \"{literal}\"")
    for key in sorted(set(ALLOWED) - used):
        problems.append(f"{key[0]}: listed as allowed but not found: \"{key[1]}\" (remove it from ALLOWED)")
    if problems:
        print("Sentences outside the message catalogue (put them in src/i18n, or list them in "
              "scripts/check-sentences.py with the reason):")
        print("\n".join(problems))
        return 1
    print("check-sentences: every sentence found comes from the catalogue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
