#!/usr/bin/env python3
"""Every option the --help of the walkthrough, of check and of demo shows is documented in the
man pages: the walkthrough's and demo's in tcpflow-explain(1), check's in tcpflow-explain-check(1).

    man_options.py BINARY MAN_DIR

Before judging the pages, the checker is shown to fail on a page with one option taken out.
"""

import re
import sys
from pathlib import Path

from help_options import options


def page_text(path):
    """The roff source with the escapes an option name is written with undone (\\- and fonts)."""
    text = path.read_text()
    text = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\%", "", text)
    return text.replace("\\-", "-")


def missing(names, text):
    return [n for n in names if not re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", text)]


def main():
    binary, man_dir = sys.argv[1], Path(sys.argv[2])
    wanted = options(binary)
    pages = {
        "tcpflow-explain.1": wanted["main"] + wanted["demo"],
        "tcpflow-explain-check.1": wanted["check"],
    }
    failures = 0
    for page, names in pages.items():
        text = page_text(man_dir / page)
        # The checker can fail: the page without its first option must be reported.
        probe = names[0]
        without = re.sub(r"(?<![\w-])" + re.escape(probe) + r"(?![\w-])", "", text)
        if missing([probe], without) != [probe]:
            print(f"man_options: the check cannot see {probe} missing from {page}")
            failures += 1
        for name in missing(names, text):
            print(f"man_options: {page} does not document {name} (listed by --help)")
            failures += 1
        print(f"man_options: {page}: {len(set(names))} options checked")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
