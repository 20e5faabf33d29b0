#!/usr/bin/env python3
"""The pictures in French (--lang fr) stay well-formed and say what docs/glossaire.md says.

Every SVG the tool writes in French (the ladder, the time-sequence graph) on every sample
parses as XML; each ladder names its columns "client" and "serveur" and keeps the RFC 9293
state names (SYN-SENT, ESTABLISHED: the names French courses use); its titles take the
narrow no-break space (U+202F) before the colon. The state diagrams inlined in the HTML
report parse as XML too, and the report declares <html lang="fr">. With --lang en (and
without --lang) the same pictures carry no French word.
    french_pictures.py TOOL SOURCE_DIR"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

tool, source = sys.argv[1], Path(sys.argv[2])
samples = sorted((source / "samples").glob("*.pcap"))
SVG = "{http://www.w3.org/2000/svg}"
NNBSP = "\u202f"
failures = 0


def check(condition, what):
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def run(*args):
    return subprocess.run([tool, *args], capture_output=True, check=False).stdout.decode("utf-8")


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


check(len(samples) >= 10, f"the samples are there ({len(samples)})")
for pcap in samples:
    for args in (["--format", "svg"], ["--format", "svg", "--graph", "timeseq"]):
        out = run(str(pcap), *args, "--lang", "fr")
        try:
            root = ET.fromstring(out)
        except ET.ParseError as e:
            check(False, f"{pcap.name} {' '.join(args)} --lang fr: XML does not parse: {e}")
            continue
        words = texts(root)
        if "timeseq" in args:
            check(any(w.startswith("temps depuis") for w in words), f"{pcap.name} timeseq: the time axis in French")
            continue
        titles = [w for w in words if w.startswith("Connexion ")]
        check(titles and all(f"{NNBSP}: client " in w for w in titles),
              f"{pcap.name} ladder: 'Connexion N\u202f: client' titles")
        check("serveur" in words and "client" in words, f"{pcap.name} ladder: the columns client, serveur")
        english = run(str(pcap), *args)
        check("serveur" not in english and "Connexion" not in english, f"{pcap.name} ladder: no French without --lang")

seed = source / "samples" / "seed-pouet.pcap"
ladder = ET.fromstring(run(str(seed), "--format", "svg", "--lang", "fr"))
states = {"".join(t.itertext()) for t in ladder.iter(SVG + "text") if "state" in (t.get("class") or "")}
check({"SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "TIME-WAIT"} <= states, f"seed ladder: RFC 9293 state names {states}")

report = run(str(seed), "--format", "html", "--lang", "fr")
check('<html lang="fr">' in report, "report: <html lang=\"fr\">")
svgs = re.findall(r"<svg\b.*?</svg>", report, re.S)
check(len(svgs) == 3, f"report: three pictures for one connection, found {len(svgs)}")
for svg in svgs:
    try:
        ET.fromstring(svg)
    except ET.ParseError as e:
        check(False, f"report: an inlined picture does not parse: {e}")
check('<html lang="en">' in run(str(seed), "--format", "html"), "report without --lang: <html lang=\"en\">")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
