#!/usr/bin/env python3
"""Command-line errors in English and French.

CLI11's parse errors (unknown option, missing value, a value outside its choices, options
that exclude or need each other): in English exactly as CLI11 2 writes them, in French in
the catalogue's words, with the exit status of a usage error (2) either way. The language
comes from --lang wherever it stands (even after the option CLI11 stopped at) or from
TFX_LANG. French typography: a narrow no-break space (U+202F) before ':'. The errors of
the lower layers (the capture, its filter, the output files, a rules file's JSON, a list of
connection numbers) too, and a pcapng file's damage (a file cut inside a block, a block's bad
length, a bad first section header) with its offsets, types and lengths, and the files
--keep-going skipped, the refusals of --shard, --step and a file set with standard input, and a
pcapng stream libpcap cannot read; what the system or libpcap wrote stays as written.
    french_errors.py TOOL SOURCE_DIR"""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

tool = sys.argv[1]
source = Path(sys.argv[2])
seed = str(source / "samples" / "seed-pouet.pcap")
NNBSP = "\u202f"
failures = 0


def run(args, env_lang=None, stdin=subprocess.DEVNULL):
    env = {k: v for k, v in os.environ.items() if k != "TFX_LANG"}
    if env_lang is not None:
        env["TFX_LANG"] = env_lang
    p = subprocess.run([tool] + args, stdin=stdin, capture_output=True, env=env)
    return p.returncode, p.stderr.decode("utf-8")


def expect(args, status, first_line, env_lang=None, stdin=subprocess.DEVNULL):
    global failures
    got_status, err = run(args, env_lang, stdin)
    line = err.splitlines()[0] if err else ""
    if got_status != status or line != first_line:
        failures += 1
        print(f"FAIL: {args} (TFX_LANG={env_lang})\n  want {status} {first_line!r}\n  got  {got_status} {line!r}")


def en(problem):
    return f"tcpflow-explain: error: {problem}"


def fr(problem):
    return f"tcpflow-explain{NNBSP}: erreur{NNBSP}: {problem}"


# English: CLI11's own sentences, unchanged.
expect(["--bogus", seed], 2, en("The following argument was not expected: --bogus"))
expect(["-r"], 2, en("--read: 1 required TEXT missing"))
expect(["--threads", "3", seed], 2, en("--threads: 3 not in {auto,1}"))
expect(["--conn", "1", "--follow", "1", seed], 2, en("--conn excludes --follow"))
expect(["--force", seed], 2, en("--force requires --write-streams"))
expect(["-c", "0", seed], 2, en("--count: 0 is out of range: give a whole number from 1 to 18446744073709551615"))
expect(["-s", "10", seed], 2, en("--snaplen: Value 10 not in range 64 to 262144"))

# French, by --lang before or after the offending option, or by TFX_LANG.
expect(["--lang", "fr", "--bogus", seed], 2, fr(f"option inconnue{NNBSP}: --bogus"))
expect([seed, "--bogus", "--other", "--lang=fr"], 2, fr(f"options inconnues{NNBSP}: --bogus --other"))
expect(["--lang", "fr", "-r"], 2, fr(f"--read{NNBSP}: 1 valeur manquante (TEXTE)"))
expect(["-r"], 2, fr(f"--read{NNBSP}: 1 valeur manquante (TEXTE)"), env_lang="fr")
expect(["-r"], 2, en("--read: 1 required TEXT missing"), env_lang="en")
expect(["--lang", "en", "-r"], 2, en("--read: 1 required TEXT missing"), env_lang="fr")
expect(["--threads", "3", "--lang", "fr", seed], 2, fr(f"--threads{NNBSP}: 3 n'est pas un des choix {{auto,1}}"))
expect(["--lang", "fr", "--conn", "1", "--follow", "1", seed], 2, fr("--conn et --follow ne vont pas ensemble"))
expect(["--lang", "fr", "--force", seed], 2, fr("--force ne va pas sans --write-streams"))
expect(["--lang", "fr", "-c", "0", seed], 2,
       fr(f"--count{NNBSP}: 0 est hors limites{NNBSP}: donnez un nombre entier de 1 à 18446744073709551615"))
expect(["--lang", "fr", "--idle-timeout", "abc", seed], 2,
       fr(f"--idle-timeout{NNBSP}: abc n'est pas un nombre{NNBSP}: donnez un nombre de secondes de 1e-06 à 1e+09"))
expect(["--lang", "fr", "-s", "10", seed], 2, fr(f"--snaplen{NNBSP}: la valeur 10 n'est pas entre 64 et 262144"))
# The hint line follows the language too.
status, err = run(["--lang", "fr", "--bogus", seed])
if err.splitlines()[1:] != [f"Lancez «{NNBSP}tcpflow-explain --help{NNBSP}» pour la liste des options."]:
    failures += 1
    print(f"FAIL: French hint line\n{err}")

# check: its own English shape (lower case, the help named on the line), CLI11's errors in French.
CHECK_HELP_EN = " (see 'tcpflow-explain check --help')"
CHECK_HELP_FR = f" (voir «{NNBSP}tcpflow-explain check --help{NNBSP}»)"


def check_line(lang, problem):
    if lang == "en":
        return f"tcpflow-explain check: error: {problem}{CHECK_HELP_EN}"
    return f"tcpflow-explain check{NNBSP}: erreur{NNBSP}: {problem}{CHECK_HELP_FR}"


expect(["check", "--format", "xml", seed], 2, check_line("en", "--format: xml not in {text,json}"))
expect(["check", "--all", "--any", seed], 2, check_line("en", "--all excludes --any"))
expect(["check", "--count", "x", seed], 2,
       check_line("en", "--count: x is not a whole number: give a whole number from 0 to 1000000000"))
expect(["check", "--lang", "fr", "--format", "xml", seed], 2,
       check_line("fr", f"--format{NNBSP}: xml n'est pas un des choix {{text,json}}"))
expect(["check", "--all", "--any", seed], 2, check_line("fr", "--all et --any ne vont pas ensemble"), env_lang="fr")
expect(["check", "--count", "x", "--lang", "fr", seed], 2,
       check_line("fr", f"--count{NNBSP}: x n'est pas un nombre entier{NNBSP}: donnez un nombre entier de 0 à 1000000000"))
expect(["check", "--lang", "fr", "--select"], 2, check_line("fr", f"--select{NNBSP}: 1 valeur manquante (SELECTOR)"))

# CLI11's counts, a flag given a value, and an option where a file name is expected (CLI11
# would take `--lang` as -r's file name).
expect(["-c", "1", "-c", "2", seed], 2, en("--count: At Most 1 required but received 2"))
expect(["--lang", "fr", "-c", "1", "-c", "2", seed], 2, fr("--count attend au plus 1 valeur et en a reçu 2"))
expect(["--strict=yes", seed], 2, en("--strict takes no value"))
expect(["--lang", "fr", "--strict=yes", seed], 2, fr("--strict ne prend pas de valeur"))
expect(["-r", "--lang", "en", seed], 2,
       en("--read: '--lang' looks like an option where a file name was expected (write ./--lang for a file of "
          "that name)"))
expect(["-r", "--lang", "fr", seed], 2,
       fr(f"--read{NNBSP}: '--lang' ressemble à une option là où un nom de fichier est attendu (écrivez ./--lang "
          "pour un fichier de ce nom)"))
expect(["--conn", "3,x", seed], 2, en("--conn: expected a connection number (1 or more), got 'x'"))
expect(["--lang", "fr", "--conn", "3,x", seed], 2,
       fr(f"--conn{NNBSP}: un numéro de connexion (1 ou plus) est attendu, pas 'x'"))
expect(["check", "--select", "id 3,x", "--expect", "packets > 0", seed], 2,
       "tcpflow-explain check: error: --select: expected a connection number (1 or more), got 'x'")
expect(["check", "--lang", "fr", "--select", "id 3,x", "--expect", "packets > 0", seed], 2,
       f"tcpflow-explain check{NNBSP}: erreur{NNBSP}: --select{NNBSP}: un numéro de connexion (1 ou plus) est "
       "attendu, pas 'x'")

# The refusals of --shard, of a file set with standard input and of --step (whose standard
# input and output are not terminals here), also through the demo.
expect(["--shard", "x", seed], 2, en("--shard x: expected I/N, two whole numbers (shard I of N, I from 1 to N)"))
expect(["--lang", "fr", "--shard", "x", seed], 2,
       fr(f"--shard x{NNBSP}: attendu I/N, deux nombres entiers (la part I sur N, I de 1 à N)"))
expect(["--shard", "3/2", seed], 2, en("--shard 3/2: shard 3/2 does not exist: I runs from 1 to N (N at least 1)"))
expect(["--shard", "0/2", seed], 2,
       fr(f"--shard 0/2{NNBSP}: la part 0/2 n'existe pas{NNBSP}: I va de 1 à N (N au moins 1)"), env_lang="fr")
expect(["-r", seed, "-r", "-"], 2,
       en("-r -: standard input cannot be read with other capture files (they are merged by timestamp)"))
expect(["--lang", "fr", "-r", seed, "-r", "-"], 2,
       fr(f"-r -{NNBSP}: l'entrée standard ne peut pas être lue avec d'autres fichiers de capture (ils sont fusionnés "
          "par horodatage)"))
STEP_NO_TERMINAL_EN = ("--step waits for keys on a terminal, and standard input and standard output are not terminals "
                       "(leave --step out to print the whole walkthrough)")
STEP_NO_TERMINAL_FR = ("--step attend des touches sur un terminal, or ni l'entrée standard ni la sortie standard ne sont "
                       "des terminaux (sans --step, toute la lecture commentée s'affiche)")
expect(["--step", seed], 2, en(STEP_NO_TERMINAL_EN))
expect(["--lang", "fr", "--step", seed], 2, fr(STEP_NO_TERMINAL_FR))
expect(["demo", "--lang", "fr", "handshake", "--step"], 2, fr(STEP_NO_TERMINAL_FR))
expect(["--step", "-F", "json", seed], 2,
       en("--step shows the walkthrough (--format text) or the ladder (--format ladder)"))
expect(["--lang", "fr", "--step", "-F", "json", seed], 2,
       fr("--step montre la lecture commentée (--format text) ou l'échelle (--format ladder)"))
expect(["--lang", "fr", "--step", "--summary", seed], 2,
       fr(f"--step montre des segments, --summary seulement des connexions{NNBSP}: choisissez l'un des deux"))
expect(["--lang", "fr", "--step", "--follow", "1", seed], 2,
       fr(f"--step montre des segments, --follow les octets d'une conversation{NNBSP}: choisissez l'un des deux"))
expect(["--lang", "fr", "--step", "-i", "lo"], 2,
       fr(f"--step lit un fichier de capture{NNBSP}: enregistrez d'abord la capture en direct avec -w, puis "
          "parcourez-la"))
with open(seed, "rb") as capture:
    expect(["--lang", "fr", "--step", "-r", "-"], 2,
           fr(f"--step lit ses touches sur l'entrée standard{NNBSP}: donnez la capture sous forme de fichier"),
           stdin=capture)

# The errors of the lower layers (opening the capture, its filter, the output files), in
# English as before and in French; what the system or libpcap wrote stays in its words.
with tempfile.TemporaryDirectory() as tmp:
    work = Path(tmp)
    missing = str(work / "missing.pcap")
    expect([missing], 3, en(f"cannot open '{missing}': No such file or directory"))
    expect(["--lang", "fr", missing], 3, fr(f"impossible d'ouvrir '{missing}'{NNBSP}: No such file or directory"))
    text = work / "notes.txt"
    text.write_text("not a capture\n")
    expect([str(text)], 4, en(f"'{text}' is not a pcap or pcapng capture (bad magic number)"))
    expect([str(text)], 4, fr(f"'{text}' n'est pas une capture pcap ni pcapng (nombre magique inconnu)"), env_lang="fr")
    expect(["-r", seed, "tcp and and"], 6, en("bad filter 'tcp and and': can't parse filter expression: syntax error"))
    expect(["--lang", "fr", "-r", seed, "tcp and and"], 6,
           fr(f"filtre invalide 'tcp and and'{NNBSP}: can't parse filter expression: syntax error"))
    nowhere = str(work / "no" / "such" / "dir")
    expect([seed, "--write-streams", nowhere], 8,
           en(f"cannot create the directory '{nowhere}' (--write-streams): No such file or directory"))
    expect(["--lang", "fr", seed, "--write-streams", nowhere], 8,
           fr(f"impossible de créer le répertoire '{nowhere}' (--write-streams){NNBSP}: No such file or directory"))
    rules = work / "bad.json"
    rules.write_text('{"checks": [}\n')
    expect(["check", "--rules", str(rules), seed], 2,
           f"tcpflow-explain check: error: {rules}:1:13: not valid JSON: syntax error while parsing value - "
           "unexpected '}'; expected '[', '{', or a literal")
    expect(["check", "--lang", "fr", "--rules", str(rules), seed], 2,
           f"tcpflow-explain check{NNBSP}: erreur{NNBSP}: {rules}:1:13{NNBSP}: JSON invalide{NNBSP}: «{NNBSP}}}{NNBSP}» "
           f"inattendu à l'octet 13 (attendu{NNBSP}: un tableau, un objet ou une valeur)")
    rules.write_text('{"checks": [')
    expect(["check", "--lang", "fr", "--rules", str(rules), seed], 2,
           f"tcpflow-explain check{NNBSP}: erreur{NNBSP}: {rules}:1:13{NNBSP}: JSON invalide{NNBSP}: le texte "
           f"s'arrête à l'octet 12 (attendu{NNBSP}: un tableau, un objet ou une valeur)")


# No output over an input, among one file or several: -w, check --junit and --write-streams
# (its streams.json here) are refused with a usage error, before anything is written.
def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


with tempfile.TemporaryDirectory() as tmp:
    work = Path(tmp)
    streams = work / "streams"
    streams.mkdir()
    first = work / "a.pcap"
    second = streams / "streams.json"  # a capture under the name --write-streams writes
    shutil.copyfile(source / "samples" / "seed-pouet.pcap", first)
    shutil.copyfile(source / "samples" / "refused.pcap", second)
    before = {p: sha256(p) for p in (first, second)}
    expect_check = ["--expect", "handshake == complete"]
    for reads in (["-r", str(first), "-r", str(second)], [str(second)]):
        several = len(reads) > 2
        which = "one of the capture files being read" if several else "the capture being read"
        refusal = f"it is {which}, which writing would destroy"
        expect(reads + ["-w", str(second)], 2, en(f"refusing to write '{second}' (-w): {refusal}"))
        which_fr = ("l'un des fichiers de capture en cours de lecture" if several
                    else "la capture en cours de lecture")
        expect(["--lang", "fr"] + reads + ["-w", str(second)], 2,
               fr(f"refus d'écrire '{second}' (-w){NNBSP}: c'est {which_fr}, que l'écriture détruirait"))
        expect(["check"] + reads + ["--junit", str(second)] + expect_check, 2,
               f"tcpflow-explain check: error: refusing to write '{second}' (--junit): {refusal}")
        expect(reads + ["--write-streams", str(streams), "--force"], 2,
               en(f"refusing to write 'streams.json' (--write-streams): {refusal}"))
    for path, digest in before.items():
        if sha256(path) != digest:
            failures += 1
            print(f"FAIL: {path} was written")


# pcapng damage, said in the run's language with the same facts (file, block offset, type and
# length): a file cut inside a block and a block with a bad length, both after good frames (a
# warning at the end, exit 0), and a bad first section header (not a capture, exit 4).
def pcapng_of(pcap):
    """The classic pcap file `pcap` as pcapng bytes (SHB, IDB, one EPB per record), and the
    offset of each EPB."""
    data = pcap.read_bytes()
    _, _, _, _, _, snaplen, link = struct.unpack("<IHHiIII", data[:24])
    out = bytearray(struct.pack("<IIIHHqI", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28))
    out += struct.pack("<IIHHII", 1, 20, link, 0, snaplen, 20)
    offsets = []
    at = 24
    while at < len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[at:at + 16])
        packet = data[at + 16:at + 16 + incl]
        at += 16 + incl
        padded = packet + bytes(-len(packet) % 4)
        length = 32 + len(padded)
        ts = sec * 1_000_000 + usec
        offsets.append(len(out))
        out += struct.pack("<IIIIIII", 6, length, 0, ts >> 32, ts & 0xFFFFFFFF, incl, orig) + padded
        out += struct.pack("<I", length)
    return bytes(out), offsets


def warning_en(problem):
    return f"tcpflow-explain: warning: {problem}"


def warning_fr(problem):
    return f"tcpflow-explain{NNBSP}: avertissement{NNBSP}: {problem}"


TRUNCATED_EN = ": the capture could not be read to its end; everything before that point was analysed"
TRUNCATED_FR = f"{NNBSP}: la capture n'a pas pu être lue jusqu'au bout{NNBSP}; tout ce qui précède a été analysé"


def expect_output(args, status, stream, line, what):
    """`line` is one of the lines of the run's stdout or stderr."""
    global failures
    p = subprocess.run([tool] + args, capture_output=True, env={k: v for k, v in os.environ.items() if k != "TFX_LANG"})
    lines = (p.stdout if stream == "stdout" else p.stderr).decode("utf-8").splitlines()
    if p.returncode != status or line not in lines:
        failures += 1
        print(f"FAIL: {what}: {args}\n  want {status} {line!r}\n  got  {p.returncode} {lines[:6]!r}")


with tempfile.TemporaryDirectory() as tmp:
    work = Path(tmp)
    whole, epbs = pcapng_of(source / "samples" / "seed-pouet.pcap")
    # Cut 20 bytes into the fourth packet block.
    cut = work / "cut.pcapng"
    cut.write_bytes(whole[:epbs[3] + 20])
    length = epbs[4] - epbs[3]
    assert (epbs[3], length) == (364, 104), (epbs[3], length)
    expect([str(cut)], 0,
           warning_en(f"'{cut}': block at offset 364 (type 0x00000006, 104 bytes): the file ends inside the block"
                      + TRUNCATED_EN))
    expect(["--lang", "fr", str(cut)], 0,
           warning_fr(f"'{cut}'{NNBSP}: bloc à l'octet 364 (type 0x00000006, 104 octets){NNBSP}: le fichier s'arrête "
                      f"au milieu du bloc" + TRUNCATED_FR))
    expect_output(["--lang", "fr", str(cut)], 0, "stdout",
                  f"Avertissement{NNBSP}: la capture n'a pas pu être lue jusqu'au bout{NNBSP}: '{cut}'{NNBSP}: bloc à l'octet 364 "
                  f"(type 0x00000006, 104 octets){NNBSP}: le fichier s'arrête au milieu du bloc",
                  "the walkthrough's summary says the damage in French")
    expect_output(["check", "--lang", "fr", str(cut), "--expect", "packets > 0"], 0, "stdout",
                  f"avertissement{NNBSP}: capture non lue jusqu'au bout{NNBSP}: '{cut}'{NNBSP}: bloc à l'octet 364 "
                  f"(type 0x00000006, 104 octets){NNBSP}: le fichier s'arrête au milieu du bloc",
                  "check says the damage in French")
    # A classic pcap cut 14 bytes into its fourth record header, and one whose first record
    # claims 300000 captured bytes: the reader's notes, in libpcap's words in English.
    classic = (source / "samples" / "seed-pouet.pcap").read_bytes()
    cut_pcap = work / "cut.pcap"
    cut_pcap.write_bytes(classic[:300])
    expect([str(cut_pcap)], 0,
           warning_en("truncated dump file; tried to read 16 header bytes, only got 14" + TRUNCATED_EN))
    expect(["--lang", "fr", str(cut_pcap)], 0,
           warning_fr(f"fichier tronqué{NNBSP}: l'en-tête d'enregistrement devrait faire 16 octets, il n'en reste "
                      "que 14" + TRUNCATED_FR))
    big_pcap = work / "big.pcap"
    big_pcap.write_bytes(classic[:32] + struct.pack("<I", 300000) + classic[36:])
    expect([str(big_pcap)], 0,
           warning_en("invalid packet capture length 300000, bigger than snaplen of 262144" + TRUNCATED_EN))
    expect([str(big_pcap)], 0,
           warning_fr("longueur capturée 300000 invalide, plus grande que le snaplen de 262144" + TRUNCATED_FR),
           env_lang="fr")
    # The fourth packet block's length field says 5.
    damaged = work / "damaged.pcapng"
    damaged.write_bytes(whole[:epbs[3] + 4] + struct.pack("<I", 5) + whole[epbs[3] + 8:])
    expect([str(damaged)], 0, warning_en(f"'{damaged}': block at offset 364 (type 0x00000006) has a bad length 5"
                                         + TRUNCATED_EN))
    expect([str(damaged)], 0,
           warning_fr(f"'{damaged}'{NNBSP}: bloc à l'octet 364 (type 0x00000006){NNBSP}: longueur invalide 5"
                      + TRUNCATED_FR), env_lang="fr")
    # Version 2.0 in the first section header.
    broken = work / "broken.pcapng"
    broken.write_bytes(whole[:12] + struct.pack("<H", 2) + whole[14:])
    broken_en = f"'{broken}' is not a readable pcapng capture: block at offset 0: unsupported pcapng version 2.0"
    broken_fr = (f"'{broken}' n'est pas une capture pcapng lisible{NNBSP}: bloc à l'octet 0{NNBSP}: version 2.0 de "
                 "pcapng non prise en charge")
    expect([str(broken)], 4, en(broken_en))
    expect(["--lang", "fr", str(broken)], 4, fr(broken_fr))

    # A pcapng stream (standard input) whose second interface has another link type: libpcap,
    # which reads streams, stops there; said in the run's language, libpcap's own words kept.
    mixed = work / "mixed.pcapng"
    mixed.write_bytes(whole[:28 + 20] + struct.pack("<IIHHII", 1, 20, 101, 0, 65535, 20) + whole[48:])
    libpcap_said = "an interface has a type 101 different from the type of the first interface"
    for lang, line in (("en", warning_en(f"'-': interfaces with different link types are not supported by libpcap, "
                                         f"which reads standard input and pipes ({libpcap_said}): give the capture "
                                         "as a file" + TRUNCATED_EN)),
                       ("fr", warning_fr(f"'-'{NNBSP}: libpcap, qui lit l'entrée standard et les tubes, ne sait pas "
                                         f"lire des interfaces de types de lien différents ({libpcap_said}){NNBSP}: "
                                         "donnez la capture sous forme de fichier" + TRUNCATED_FR))):
        with open(mixed, "rb") as stream:
            expect(["--lang", lang, "-r", "-"], 0, line, stdin=stream)

    # --keep-going: a damaged and a missing file among good ones are skipped, each said in the
    # run's language; the JSON keeps a machine code and the English reason.
    good_a = str(source / "samples" / "seed-pouet.pcap")
    good_b = str(source / "samples" / "refused.pcap")
    missing = work / "missing.pcap"
    files = ["-r", good_a, "-r", str(broken), "-r", str(missing), "-r", good_b, "--keep-going"]
    missing_en = f"cannot open '{missing}': No such file or directory"
    missing_fr = f"impossible d'ouvrir '{missing}'{NNBSP}: No such file or directory"
    expect(files, 0, warning_en(f"skipped {broken} (--keep-going): {broken_en}"))
    expect(["--lang", "fr"] + files, 0, warning_fr(f"{broken} ignoré (--keep-going){NNBSP}: {broken_fr}"))
    expect_output(["--lang", "fr"] + files, 0, "stderr",
                  warning_fr(f"{missing} ignoré (--keep-going){NNBSP}: {missing_fr}"), "the missing file, in French")
    expect_output(["check"] + files + ["--expect", "packets > 0"], 0, "stdout",
                  f"warning: skipped {broken} (--keep-going): {broken_en}", "check names the skipped file")
    expect_output(["check", "--lang", "fr"] + files + ["--expect", "packets > 0"], 0, "stdout",
                  f"avertissement{NNBSP}: {broken} ignoré (--keep-going){NNBSP}: {broken_fr}",
                  "check names the skipped file in French")
    p = subprocess.run([tool, "--lang", "fr", "-F", "json"] + files, capture_output=True)
    skipped = json.loads(p.stdout)["capture"].get("skipped_files") if p.returncode == 0 else None
    want = [{"path": str(broken), "code": "not_a_capture", "reason": broken_en},
            {"path": str(missing), "code": "cannot_open", "reason": missing_en}]
    if skipped != want:
        failures += 1
        print(f"FAIL: JSON skipped_files\n  want {want!r}\n  got  {skipped!r}")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
