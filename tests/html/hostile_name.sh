#!/usr/bin/env bash
# The capture's file name is the one string of the report a stranger picks freely (a mail
# attachment, a download): here it is markup, a character reference, quotes and a terminal
# escape (a file name holds no slash, so no end tag). The report must
# show it as text, exactly (check_html.py --source), with no element or attribute of its own.
#   hostile_name.sh TOOL SOURCE_DIR OUT_DIR   (writes OUT_DIR/hostile-name.html for the browser test)
set -euo pipefail
tool="$1" root="$2" out="$3"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
name=$'<img src=x onerror=alert(1)><svg onload=alert(2)>&amp;\'"\e[2J.pcap'
cp "$root/samples/seed-pouet.pcap" "$work/$name"
"$tool" -F html "$work/$name" >"$out/hostile-name.html"
if grep -q $'\e' "$out/hostile-name.html"; then
  echo "hostile_name: the report holds a raw ESC byte" >&2
  exit 1
fi
# ESC shows as the visible escape \x1b; the rest reads back as typed.
shown=$'<img src=x onerror=alert(1)><svg onload=alert(2)>&amp;\'"\\x1b[2J.pcap'
python3 "$root/tests/html/check_html.py" "$out/hostile-name.html" --frames 1-8 --source "$shown"
