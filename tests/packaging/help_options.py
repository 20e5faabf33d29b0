"""The option names tcpflow-explain's own --help texts list, for the man page and completion
tests (independent of scripts/completions/generate.py, whose output those tests judge)."""

import os
import re
import subprocess

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def help_text(binary, *args):
    # The help follows TFX_LANG; the manual and the completions are checked against the English one.
    env = {k: v for k, v in os.environ.items() if k != "TFX_LANG"}
    return subprocess.run([binary, *args, "--help"], check=True, capture_output=True, text=True, env=env).stdout


def cli11_options(text):
    """Names in the first column of a CLI11 help's option lines ("  -r,--read TEXT"), whether
    under "Options:" or under a group's heading."""
    names = []
    for line in text.splitlines():
        if line.startswith("  -"):
            names += [n for n in line.split()[0].split(",") if n.startswith("-")]
    return names


def options(binary):
    """{"main": [...], "check": [...], "demo": [...]}: demo's are every option its help names."""
    demo_text = help_text(binary, "demo")
    return {
        "main": cli11_options(help_text(binary)),
        "check": cli11_options(help_text(binary, "check")),
        "demo": sorted(set(OPTION.findall(demo_text))),
    }
