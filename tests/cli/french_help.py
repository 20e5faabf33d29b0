#!/usr/bin/env python3
"""--help in the language of the sentences.

The walkthrough's, check's and demo's help in French with --lang fr, --lang=fr or TFX_LANG=fr:
a few lines exactly, every option of the English help there with a description of its own
(none left in English), and no line of the English help but blank ones and example commands.
The English help (no language named, --lang en, --lang en over TFX_LANG=fr, a language we do
not write) is byte for byte the one kept in tests/cli/help/; after a change of an option,
regenerate them with `tcpflow-explain --help`, `check --help` and `demo --help`.
    french_help.py TOOL SOURCE_DIR"""
import os
import re
import subprocess
import sys
from pathlib import Path

tool = sys.argv[1]
expected = Path(sys.argv[2]) / "tests" / "cli" / "help"
NNBSP = "\u202f"
failures = 0

# Each command: its arguments before --help (demo takes --help first, before any option).
COMMANDS = {
    "walkthrough": [],
    "check": ["check"],
    "demo": ["demo"],
}

# The lines a French reader must see, word for word.
FRENCH_LINES = {
    "walkthrough": [
        f"Utilisation{NNBSP}: tcpflow-explain [OPTIONS] [capture-and-filter...]",
        f"Options{NNBSP}:",
        "  --strict                    Sortir avec le code 9 quand la capture n'a pas pu être lue jusqu'au bout",
        "  -c,--count NATUREL:N de 1 à 18446744073709551615",
        f"  --force Nécessite{NNBSP}: --write-streams",
        f"  --idle-timeout RÉEL:SECONDES de 1e-06 à 1e+09",
        f"Codes de sortie{NNBSP}:",
    ],
    "check": [
        f"Utilisation{NNBSP}: tcpflow-explain check [OPTIONS] [capture...]",
        f"  --any Exclut{NNBSP}: --all --count",
        f"  --format FMT:{{text,json}}    rapport sur la sortie standard{NNBSP}: text ou json",
        f"  --lang TEXTE (variable d'environnement{NNBSP}: TFX_LANG)",
        f"  --grace MS:ENTIER de 0 à 600000",
    ],
    "demo": [
        f"Les démos{NNBSP}:",
        "  refused             un SYN vers un port où personne n'écoute, auquel répond un RST-ACK (connexion refusée)",
    ],
}

# Lines that are the same in both languages: an example command alone on its line.
EXAMPLE = re.compile(r"^\s*tcpflow-explain [a-z -]*$")


def help_text(args, env_lang=None):
    env = {k: v for k, v in os.environ.items() if k != "TFX_LANG"}
    if env_lang is not None:
        env["TFX_LANG"] = env_lang
    p = subprocess.run([tool] + args, capture_output=True, env=env)
    if p.returncode != 0 or p.stderr:
        fail(f"{args} (TFX_LANG={env_lang}): status {p.returncode}, stderr {p.stderr!r}")
    return p.stdout.decode("utf-8")


def fail(message):
    global failures
    failures += 1
    print(f"FAIL: {message}")


def descriptions(text):
    """{option names: description} of a CLI11 help. CLI11 pads an option's names and value type
    to 30 bytes, then writes its description; when they take 30 bytes or more, the description
    goes on the next line, after 30 spaces."""
    found = {}
    lines = [line.encode("utf-8") for line in text.splitlines()]
    for i, line in enumerate(lines):
        if not line.startswith(b"  -") and not line.startswith(b"  capture"):
            continue
        if i + 1 < len(lines) and lines[i + 1].startswith(b" " * 30):
            names, text = line, lines[i + 1]
        else:
            names, text = line[:30], line[30:]
        found[names.split()[0].decode("utf-8")] = text.strip().decode("utf-8")
    return found


english = {name: (expected / f"{name}-en.txt").read_text(encoding="utf-8") for name in COMMANDS}

for name, args in COMMANDS.items():
    want = english[name]
    for how, got in [
        ("no language", help_text(args + ["--help"])),
        ("--lang en", help_text(args + ["--help", "--lang", "en"])),
        ("--lang en over TFX_LANG=fr", help_text(args + ["--help", "--lang", "en"], env_lang="fr")),
        ("--lang xx", help_text(args + ["--help", "--lang", "xx"])),
    ]:
        if got != want:
            fail(f"{name} --help, {how}: not the English help of tests/cli/help/{name}-en.txt")

    french = help_text(args + ["--help", "--lang", "fr"])
    others = [
        ("--lang=fr", help_text(args + ["--help", "--lang=fr"])),
        ("TFX_LANG=fr", help_text(args + ["--help"], env_lang="fr")),
    ]
    others.append(("--lang fr before --help", help_text(args + ["--lang", "fr", "--help"])))
    for how, other in others:
        if other != french:
            fail(f"{name} --help: {how} differs from --lang fr")
    lines = french.splitlines()
    for line in FRENCH_LINES[name]:
        if line not in lines:
            fail(f"{name} --lang fr --help: no line {line!r}")

    english_lines = {line.strip() for line in want.splitlines()}
    for line in lines:
        if line.strip() and line.strip() in english_lines and not EXAMPLE.match(line):
            fail(f"{name} --lang fr --help: English line left: {line!r}")

    if name != "demo":
        english_options = descriptions(want)
        french_options = descriptions(french)
        if set(english_options) != set(french_options):
            fail(f"{name}: the options differ: {sorted(set(english_options) ^ set(french_options))}")
        english_texts = set(english_options.values())
        for option, text in french_options.items():
            if text in english_texts:
                fail(f"{name} --lang fr --help: {option} described in English: {text!r}")

# `demo NAME ... --help` prints the same help as `demo --help`.
if help_text(["demo", "handshake", "-F", "json", "--help", "--lang", "fr"]) != help_text(["demo", "--help"], "fr"):
    fail("demo handshake --help --lang fr differs from TFX_LANG=fr demo --help")

if failures:
    print(f"french_help: {failures} failure(s)")
    sys.exit(1)
print("french_help: ok")
