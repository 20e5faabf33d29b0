#!/usr/bin/env bash
# The Debian package, built with `cpack -G DEB` from a finished build directory, installed with
# dpkg into a throwaway root (the host's shared libraries serve it), then used from there:
# its name, control fields and file list, --version, the seed walkthrough against its golden
# file, the man pages through man -l, gzip -9n's header, and the bash completion.
#   deb_package.sh BUILD_DIR SOURCE_DIR VERSION
# Skipped (77) without cpack, dpkg-deb or dpkg-shlibdeps (dpkg-dev).
set -euo pipefail
build=$1 source=$2 version=$3
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps man; do
  command -v "$tool" >/dev/null || { echo "deb_package: $tool not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_package: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$work/out/tcpflow-explain_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || fail "cpack did not write ${deb##*/}: $(ls "$work/out")"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == tcpflow-explain ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || fail "Version: $(field Version), not $version"
[[ $(field Section) == net ]] || fail "Section: $(field Section), not net"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
# dpkg-shlibdeps' Depends: the libpcap the binary links, as Debian 12 names its package.
field Depends | grep -Eq '(^|, )libpcap0\.8( |,|$)' || fail "Depends lacks libpcap0.8: $(field Depends)"
# A short description, then a long one (lines that start with a space).
(($(field Description | wc -l) >= 4)) || fail "the Description has no long part"

expected_files="./usr/bin/tcpflow-explain
./usr/share/bash-completion/completions/tcpflow-explain
./usr/share/doc/tcpflow-explain/README.md.gz
./usr/share/doc/tcpflow-explain/copyright
./usr/share/fish/vendor_completions.d/tcpflow-explain.fish
./usr/share/man/man1/tcpflow-explain-check.1.gz
./usr/share/man/man1/tcpflow-explain.1.gz
./usr/share/zsh/vendor-completions/_tcpflow-explain"
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sort)
[[ $files == "$expected_files" ]] || fail "the package's files differ:
$(diff <(echo "$expected_files") <(echo "$files"))"

root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
dpkg --root="$root" --log=/dev/null --force-not-root --force-depends -i "$deb" >"$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log"; fail "dpkg -i into the throwaway root failed"; }
dpkg --root="$root" -V tcpflow-explain || fail "dpkg -V: installed files differ from the package's md5sums"
bin=$root/usr/bin/tcpflow-explain

mapfile -t lines < <("$bin" --version)
[[ ${lines[0]} == "tcpflow-explain $version (JSON schema tcpflow-explain/1)" ]] || fail "--version: ${lines[0]}"
[[ ${lines[1]} =~ ^git\ revision\ [0-9a-z._+-]+$ ]] || fail "--version's second line: ${lines[1]}"
[[ ${lines[2]} == "libpcap version "* ]] || fail "--version's third line: ${lines[2]}"

"$bin" "$source/samples/seed-pouet.pcap" --color never >"$work/seed.txt"
diff -u "$source/tests/golden/expected/seed-pouet-text.txt" "$work/seed.txt" || fail "the seed walkthrough differs"

for page in tcpflow-explain tcpflow-explain-check; do
  gz=$root/usr/share/man/man1/$page.1.gz
  # gzip -n: no file name (FLG bit 3) and a zero time stamp (bytes 4-7), so builds are the same.
  read -r -a header < <(od -An -tu1 -N8 "$gz")
  [[ ${header[3]} -eq 0 && ${header[4]}${header[5]}${header[6]}${header[7]} == 0000 ]] ||
    fail "$page.1.gz has a name or a time stamp in its gzip header: ${header[*]}"
  MANWIDTH=80 man -l "$gz" >"$work/$page.txt" 2>"$work/man.err" || fail "man -l $page.1.gz failed"
  [[ ! -s $work/man.err ]] || fail "man -l $page.1.gz: $(cat "$work/man.err")"
  grep -q "^NAME" "$work/$page.txt" && grep -Eq "^ +$page +- " "$work/$page.txt" ||
    fail "man -l $page.1.gz does not show its NAME line"
done

completions=$(bash --norc --noprofile -c "source '$root/usr/share/bash-completion/completions/tcpflow-explain'
  COMP_WORDS=(tcpflow-explain --color ''); COMP_CWORD=2; _tcpflow_explain; echo \"\${COMPREPLY[*]}\"")
[[ $completions == "auto always never" ]] || fail "the installed bash completion of --color gave: $completions"
echo "deb_package: ${deb##*/} builds, installs and runs"
