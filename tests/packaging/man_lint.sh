#!/usr/bin/env bash
# The man pages are clean roff: groff's man macros with every warning on (-ww) print nothing,
# and neither does mandoc -Tlint where mandoc is installed. Skipped (77) without groff.
#   man_lint.sh MAN_DIR
set -u
man_dir=$1
command -v groff >/dev/null || { echo "man_lint: groff not installed"; exit 77; }
status=0
for page in "$man_dir"/*.1; do
  warnings=$(LC_ALL=C.UTF-8 groff -man -ww -z "$page" 2>&1)
  if [[ -n $warnings ]]; then
    printf 'man_lint: groff on %s:\n%s\n' "${page##*/}" "$warnings"
    status=1
  fi
  if command -v mandoc >/dev/null && ! warnings=$(mandoc -Tlint -Wwarning "$page" 2>&1); then
    printf 'man_lint: mandoc on %s:\n%s\n' "${page##*/}" "$warnings"
    status=1
  fi
done
((status == 0)) && echo "man_lint: $(ls "$man_dir"/*.1 | wc -l) pages clean"
exit $status
