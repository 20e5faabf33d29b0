#!/usr/bin/env python3
"""The generated shell completions against the command's own --help.

    completions.py BINARY COMPLETIONS_DIR

- each of the bash, zsh and fish files offers every option --help lists, per subcommand;
- the bash completion works: sourced in a non-interactive bash, its function is called with
  COMP_WORDS/COMP_CWORD set and COMPREPLY is compared with what --help says (the values of
  --format, check's options, check's fields after -e, capture files by suffix, interfaces);
- zsh -n and fish -n accept their files (skipped for a shell that is not installed).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from help_options import help_text, options

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def bash_offered(text):
    return {cmd: set(words.split())
            for cmd, words in re.findall(r'^_tcpflow_explain_(\w+)_options="([^"]*)"', text, re.M)}


def zsh_offered(text):
    offered = {}
    for cmd, block in re.findall(r"^  (\w+)_specs=\(\n(.*?)\n  \)", text, re.M | re.S):
        offered[cmd] = set(re.findall(r"^    '\*?(--?[\w-]+)", block, re.M))
    return offered


def fish_offered(text):
    conditions = {"not __fish_seen_subcommand_from check demo": "main",
                  "__fish_seen_subcommand_from check": "check", "__fish_seen_subcommand_from demo": "demo"}
    offered = {cmd: set() for cmd in conditions.values()}
    for line in text.splitlines():
        match = re.match(r"complete -c tcpflow-explain -n '([^']*)' (.*)", line)
        if not match or match.group(1) not in conditions:
            continue
        names = offered[conditions[match.group(1)]]
        for kind, name in re.findall(r"(?:^| )-([slo]) ([\w-]+)", match.group(2)):
            names.add(("--" if kind == "l" else "-") + name)
    return offered


def not_offered(offered, wanted):
    return [f"`{cmd}` does not offer {name}" for cmd, names in wanted.items() for name in names
            if name not in offered.get(cmd, set())]


def bash_complete(script, words, cwd):
    """COMPREPLY of the bash completion for WORDS (the last one being completed), one per line."""
    program = f"""source {script}
COMP_WORDS=({" ".join(f"'{w}'" for w in words)})
COMP_CWORD={len(words) - 1}
_tcpflow_explain
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], cwd=cwd, capture_output=True,
                            text=True)
    expect(result.returncode == 0, f"bash: completing {words} failed: {result.stderr}")
    return {line for line in result.stdout.splitlines() if line}


def check_bash_behaviour(script, binary):
    main_help = help_text(binary)
    formats = set(re.search(r"--format TEXT:\{([^}]*)\}", main_help).group(1).split(","))
    with tempfile.TemporaryDirectory() as work:
        for name in ("a.pcap", "b.pcapng", "c.cap", "notes.txt"):
            Path(work, name).write_text("")
        Path(work, "dir").mkdir()
        got = bash_complete(script, ["tcpflow-explain", "--format", ""], work)
        expect(got == formats, f"bash: --format <TAB> gave {sorted(got)}, --help lists {sorted(formats)}")
        got = bash_complete(script, ["tcpflow-explain", "--format", "json"], work)
        expect(got == {f for f in formats if f.startswith("json")}, f"bash: --format json<TAB> gave {sorted(got)}")
        check_long = {n for n in options(binary)["check"] if n.startswith("--")}
        got = bash_complete(script, ["tcpflow-explain", "check", "--"], work)
        expect(got == check_long, f"bash: check --<TAB> gave {sorted(got)}, check --help lists {sorted(check_long)}")
        got = bash_complete(script, ["tcpflow-explain", "check", "x.pcap", "-e", "close"], work)
        expect(got == {"close", "closed_by"}, f"bash: check -e close<TAB> gave {sorted(got)}")
        got = bash_complete(script, ["tcpflow-explain", ""], work)
        expect(got == {"a.pcap", "b.pcapng", "c.cap", "dir", "check", "demo"},
               f"bash: the first argument gave {sorted(got)}")
        got = bash_complete(script, ["tcpflow-explain", "-i", ""], work)
        interfaces = set(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else got
        expect(got == interfaces and "lo" in got, f"bash: -i <TAB> gave {sorted(got)}, not {sorted(interfaces)}")
        got = bash_complete(script, ["tcpflow-explain", "demo", "half"], work)
        expect(got == {"half-close"}, f"bash: demo half<TAB> gave {sorted(got)}")


def syntax_check(shell, path):
    if shutil.which(shell) is None:
        print(f"completions: {shell} not installed: its syntax is not checked")
        return
    result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
    expect(result.returncode == 0 and not result.stderr, f"{shell} -n {path.name}: {result.stderr}")


def main():
    binary, directory = sys.argv[1], Path(sys.argv[2])
    wanted = options(binary)
    wanted["demo"] = wanted["demo"] + wanted["main"]  # demo takes the walkthrough's options
    files = {"bash": directory / "tcpflow-explain.bash", "zsh": directory / "_tcpflow-explain",
             "fish": directory / "tcpflow-explain.fish"}
    readers = {"bash": bash_offered, "zsh": zsh_offered, "fish": fish_offered}
    for shell, path in files.items():
        text = path.read_text()
        for problem in not_offered(readers[shell](text), wanted):
            failures.append(f"{shell}: {problem}")
        # The reader can see an option missing: the file without --version must be reported.
        crippled = readers[shell](text.replace("version", "v-e-r-s-i-o-n"))
        expect(not_offered(crippled, {"main": ["--version"]}), f"{shell}: a file without --version passes")
        syntax_check(shell, path)
    check_bash_behaviour(files["bash"], binary)
    for failure in failures:
        print("completions:", failure)
    print(f"completions: {len(failures)} problem(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
