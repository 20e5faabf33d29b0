#!/usr/bin/env bash
# `tcpflow-explain check --lang fr` (docs/glossaire.md): the reports in French against the
# expected files of tests/check/expected/, the same report whether the language comes from
# --lang or TFX_LANG, and everything a CI reads unchanged by the language: JUnit testsuite
# and testcase names, JSON keys, codes and cause kinds, exit statuses.
#
# usage: check_french.sh TCPFLOW_EXPLAIN SOURCE_DIR
# Facts of the samples, read with tshark: samples/refused.pcap is the client's SYN (frame 1)
# answered by the server's RST-ACK (frame 2); samples/seed-pouet.pcap is one connection of 8
# frames, the client sending 6 bytes of payload and the server none.
set -u

BIN=${1:?usage: check_french.sh BINARY SOURCE_DIR}
SRC=${2:?usage: check_french.sh BINARY SOURCE_DIR}
EXP=$SRC/tests/check/expected
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The reports name the capture as given: relative paths, as in the expected files.
cd "$SRC" || exit 1
unset TFX_LANG

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
# same EXPECTED ACTUAL: byte for byte.
same() {
    cmp -s "$1" "$2" || { fail "$CURRENT: $(basename "$2") differs from $1"; diff -u "$1" "$2" | head -40 >&2; }
}
# status WANT GOT
status() { [ "$2" -eq "$1" ] || fail "$CURRENT: exit $2, expected $1"; }
NNBSP=$'\u202f'

PASSING=(samples/seed-pouet.pcap --expect 'handshake == complete' --expect 'close == graceful|simultaneous'
         --expect 'client_bytes == 6B and server_bytes == 0' --expect 'packets == 8')
REFUSED=(samples/refused.pcap --expect 'handshake == complete' --expect 'close == graceful'
         --expect 'server_bytes > 0' --expect 'rst_count == 0' --expect 'mss_client == 1460')

CURRENT=passing
"$BIN" check --lang fr "${PASSING[@]}" >"$TMP/pass.txt"
status 0 $?
same "$EXP/pass-fr.txt" "$TMP/pass.txt"
grep -qF "4 vérifications${NNBSP}: 4 réussies, 0 en échec" "$TMP/pass.txt" || fail "$CURRENT: summary line"

CURRENT=refused
"$BIN" check --lang fr "${REFUSED[@]}" --junit "$TMP/fr.xml" >"$TMP/refused.txt"
status 1 $?
same "$EXP/refused-fr.txt" "$TMP/refused.txt"
same "$EXP/refused-fr.xml" "$TMP/fr.xml"
grep -qF "CAUSE${NNBSP}: la connexion 1 a été refusée (trame 2${NNBSP}: RST-ACK du serveur)" "$TMP/refused.txt" ||
    fail "$CURRENT: the root cause"
[ "$(grep -c 'refusée, voir CAUSE plus haut' "$TMP/refused.txt")" = 4 ] || fail "$CURRENT: not 4 references to the cause"

# French typography: no ordinary space before ':' ';' '!' '?' in the sentences (the segment
# lines, "#2 ... win 0 ! isn_inferred", keep the walkthrough's '!' marker).
CURRENT=typography
for f in "$TMP/pass.txt" "$TMP/refused.txt"; do
    if grep -vE '^ *#' "$f" | grep -nE ' [:;!?]( |$)'; then
        fail "$CURRENT: an ordinary space before a colon in $(basename "$f")"
    fi
done

CURRENT=env-and-option
TFX_LANG=fr "$BIN" check "${REFUSED[@]}" >"$TMP/env.txt"
status 1 $?
same "$TMP/refused.txt" "$TMP/env.txt"
TFX_LANG=fr "$BIN" check --lang en "${REFUSED[@]}" >"$TMP/en-over-env.txt"
"$BIN" check "${REFUSED[@]}" --junit "$TMP/en.xml" >"$TMP/en.txt"
same "$TMP/en.txt" "$TMP/en-over-env.txt"   # the option wins over the environment
grep -qF "CAUSE conn 1 was refused (frame 2: RST-ACK from the server)" "$TMP/en.txt" || fail "$CURRENT: English"

CURRENT=junit-names
python3 - "$TMP/en.xml" "$TMP/fr.xml" <<'PY' || fail "$CURRENT: JUnit names differ between en and fr"
import sys, xml.etree.ElementTree as ET
def names(path):
    root = ET.parse(path).getroot()
    out = [("testsuites", root.get("name"), root.get("tests"), root.get("failures"))]
    for suite in root.iter("testsuite"):
        out.append(("suite", suite.get("name"), suite.get("tests"), suite.get("failures")))
        for p in suite.iter("property"):
            if p.get("name") != "capture":  # a sentence, in the report's language
                out.append(("property", p.get("name"), p.get("value")))
        for case in suite.iter("testcase"):
            out.append(("case", case.get("classname"), case.get("name"), case.find("failure") is not None))
    return out
en, fr = names(sys.argv[1]), names(sys.argv[2])
assert en == fr, (en, fr)
assert ("case", "handshake == complete", "conn to 127.0.0.1:42001 #1", True) in fr, fr
msgs = [f.get("message") for f in ET.parse(sys.argv[2]).getroot().iter("failure")]
cause = "la connexion 1 a été refusée (trame 2\u202f: RST-ACK du serveur)\u202f: "
assert all(m.startswith(cause) for m in msgs[:4]), msgs
assert msgs[4] == "mss_client vaut 65495 (attendu\u202f: mss_client == 1460)", msgs[4]
PY

CURRENT=json-keys
"$BIN" check "${REFUSED[@]}" --format json >"$TMP/en.json"
"$BIN" check --lang fr "${REFUSED[@]}" --format json >"$TMP/fr.json"
python3 - "$TMP/en.json" "$TMP/fr.json" <<'PY' || fail "$CURRENT: JSON keys or codes differ between en and fr"
import json, sys
en, fr = (json.load(open(p)) for p in sys.argv[1:])
def shape(v):
    if isinstance(v, dict):
        return {k: shape(x) for k, x in v.items()}
    if isinstance(v, list):
        return [shape(x) for x in v]
    return type(v).__name__
assert shape(en) == shape(fr)
for d in (en, fr):
    (c,) = d["causes"]
    assert (c["id"], c["kind"], c["frame"]) == (1, "refused", 2), c
assert [k["name"] for k in en["checks"]] == [k["name"] for k in fr["checks"]]
assert [k["quantifier"] for k in fr["checks"]] == ["all"] * 5
assert [t["observed"] for k in fr["checks"] for c in k["connections"] for t in c["terms"]] == \
       [t["observed"] for k in en["checks"] for c in k["connections"] for t in c["terms"]]
assert fr["causes"][0]["text"].startswith("la connexion 1 a été refusée"), fr["causes"][0]["text"]
PY

CURRENT=errors
"$BIN" check --lang fr samples/seed-pouet.pcap 2>"$TMP/err" >/dev/null
status 2 $?
grep -qxF "tcpflow-explain check${NNBSP}: erreur${NNBSP}: rien à vérifier${NNBSP}: donnez --expect EXPR ou --rules FICHIER" \
    "$TMP/err" || { fail "$CURRENT: nothing to check"; cat "$TMP/err" >&2; }
TFX_LANG=fr "$BIN" check samples/seed-pouet.pcap --expect 'close == graceful' --frobnicate 2>"$TMP/err" >/dev/null
status 2 $?
grep -qF "erreur${NNBSP}: option inconnue '--frobnicate' (voir «${NNBSP}tcpflow-explain check --help${NNBSP}»)" \
    "$TMP/err" || { fail "$CURRENT: unknown option"; cat "$TMP/err" >&2; }
"$BIN" check --lang de samples/seed-pouet.pcap --expect 'close == graceful' 2>"$TMP/err" >/dev/null
status 2 $?
grep -qF "the languages are en, fr" "$TMP/err" || { fail "$CURRENT: unknown language"; cat "$TMP/err" >&2; }
"$BIN" --lang fr --graph full samples/refused.pcap 2>"$TMP/err" >/dev/null
status 2 $?
grep -qxF "tcpflow-explain${NNBSP}: erreur${NNBSP}: --graph full se dessine avec --format dot" "$TMP/err" ||
    { fail "$CURRENT: walkthrough usage error"; cat "$TMP/err" >&2; }
TFX_LANG=fr "$BIN" --conn 7 samples/refused.pcap 2>"$TMP/err" >/dev/null
status 2 $?
grep -qxF "tcpflow-explain${NNBSP}: erreur${NNBSP}: --conn${NNBSP}: la connexion 7 n'existe pas dans cette capture" \
    "$TMP/err" || { fail "$CURRENT: --conn"; cat "$TMP/err" >&2; }

# The parsers' errors (expectation, selector, rules file) and their suggestions, in both
# languages: the English as it has always been written, the French by the glossary.
CURRENT=parser-errors
# expect_error LANG WANT_FIRST_LINE ARGS...: exit 2 and the first line of stderr.
expect_error() {
    local lang=$1 want=$2
    shift 2
    "$BIN" check --lang "$lang" samples/seed-pouet.pcap "$@" 2>"$TMP/err" >/dev/null
    status 2 $?
    [ "$(head -n 1 "$TMP/err")" = "$want" ] || { fail "$CURRENT ($lang): got"; cat "$TMP/err" >&2; }
}
E="tcpflow-explain check: error:"
F="tcpflow-explain check${NNBSP}: erreur${NNBSP}:"
# retransmissions counts segments: 1.5 is no count.
expect_error en "$E --expect: 'retransmissions' is a count: it takes a whole number" \
    --expect 'retransmissions == 1.5'
expect_error fr "$F --expect${NNBSP}: «${NNBSP}retransmissions${NNBSP}» est un compteur${NNBSP}: il prend un nombre entier" \
    --expect 'retransmissions == 1.5'
# The caret still underlines the value: it starts at byte 19 of the expectation, the line is
# indented by 2.
[ "$(sed -n 3p "$TMP/err")" = "                     ^~~" ] || { fail "$CURRENT: caret"; cat "$TMP/err" >&2; }
# One 's' missing from "retransmissions".
expect_error en "$E --expect: unknown field 'retransmisions' (did you mean 'retransmissions'?)" \
    --expect 'retransmisions == 0'
expect_error fr "$F --expect${NNBSP}: champ inconnu «${NNBSP}retransmisions${NNBSP}» (vouliez-vous dire «${NNBSP}retransmissions${NNBSP}»${NNBSP}?)" \
    --expect 'retransmisions == 0'
# Nothing close to "zorglub": the list of fields instead.
expect_error fr "$F --expect${NNBSP}: champ inconnu «${NNBSP}zorglub${NNBSP}» (\`tcpflow-explain check --list-fields\` en donne la liste)" \
    --expect 'zorglub == 0'
expect_error en "$E --select: unknown selector 'prot' (did you mean 'port'?); expected port N, host ADDR, net CIDR, client/server ..., id N" \
    --select 'prot 80' --expect 'close == graceful'
expect_error fr "$F --select${NNBSP}: sélecteur inconnu «${NNBSP}prot${NNBSP}» (vouliez-vous dire «${NNBSP}port${NNBSP}»${NNBSP}?)${NNBSP}; attendu${NNBSP}: port N, host ADRESSE, net CIDR, client/server ..., id N" \
    --select 'prot 80' --expect 'close == graceful'
expect_error fr "$F --select${NNBSP}: un numéro de port (0-65535) est attendu, pas «${NNBSP}70000${NNBSP}»" \
    --select 'port 70000' --expect 'close == graceful'
# A rules file with a misspelt key, and one whose expectation is wrong.
printf '{"checks": [{"name": "web", "expct": "close == graceful"}]}\n' >"$TMP/key.json"
expect_error en "$E $TMP/key.json: checks[0] \"web\": unknown key 'expct' (did you mean 'expect'?); keys: name, description, expect, select, quantifier, count" \
    --rules "$TMP/key.json"
expect_error fr "$F $TMP/key.json${NNBSP}: checks[0] \"web\"${NNBSP}: clé inconnue «${NNBSP}expct${NNBSP}» (vouliez-vous dire «${NNBSP}expect${NNBSP}»${NNBSP}?)${NNBSP}; clés${NNBSP}: name, description, expect, select, quantifier, count" \
    --rules "$TMP/key.json"
printf '{"checks": [{"name": "web", "expect": "close == gracefull"}]}\n' >"$TMP/value.json"
expect_error en "$E $TMP/value.json: checks[0] \"web\".expect: unknown close value 'gracefull' (did you mean 'graceful'?); one of: graceful, simultaneous, half_closed, closing_incomplete, reset, still_open, never_opened" \
    --rules "$TMP/value.json"
expect_error fr "$F $TMP/value.json${NNBSP}: checks[0] \"web\".expect${NNBSP}: valeur de close inconnue «${NNBSP}gracefull${NNBSP}» (vouliez-vous dire «${NNBSP}graceful${NNBSP}»${NNBSP}?)${NNBSP}; valeurs possibles${NNBSP}: graceful, simultaneous, half_closed, closing_incomplete, reset, still_open, never_opened" \
    --rules "$TMP/value.json"
expect_error fr "$F /dev/null:1:1${NNBSP}: JSON invalide${NNBSP}: le texte s'arrête à l'octet 0 (attendu${NNBSP}: un tableau, un objet ou une valeur)" \
    --rules /dev/null
# The report of a rules file names its checks as the English does (JSON "origin").
printf '{"checks": [{"name": "web", "expect": "close == graceful"}]}\n' >"$TMP/good.json"
"$BIN" check --lang fr samples/seed-pouet.pcap --rules "$TMP/good.json" --format json >"$TMP/rules-fr.json"
grep -qF "\"origin\": \"$TMP/good.json: checks[0] \\\"web\\\"\"" "$TMP/rules-fr.json" ||
    fail "$CURRENT: the JSON origin of a rules file's check"

# --list-fields: the same fields in the same order, the sentences in French.
CURRENT=list-fields
"$BIN" check --list-fields >"$TMP/fields-en.txt"
status 0 $?
"$BIN" check --lang fr --list-fields >"$TMP/fields-fr.txt"
status 0 $?
[ "$(awk 'NR > 1 && /^  / {print $1}' "$TMP/fields-en.txt")" = "$(awk 'NR > 1 && /^  / {print $1}' "$TMP/fields-fr.txt")" ] ||
    fail "$CURRENT: not the same fields"
[ "$(wc -l <"$TMP/fields-en.txt")" = "$(wc -l <"$TMP/fields-fr.txt")" ] || fail "$CURRENT: not the same line count"
head -n 1 "$TMP/fields-en.txt" | grep -qxF 'Fields of `check --expect` (field OP value):' || fail "$CURRENT: English title"
head -n 1 "$TMP/fields-fr.txt" | grep -qxF "Champs de \`check --expect\` (champ OP valeur)${NNBSP}:" || fail "$CURRENT: French title"
# Name padded to 26 columns, type to 22, then the description.
grep -qxF "  rst_count                  a count                RST segments, both directions" "$TMP/fields-en.txt" ||
    fail "$CURRENT: English rst_count"
grep -qxF "  rst_count                  un compteur            segments RST, dans les deux sens" "$TMP/fields-fr.txt" ||
    fail "$CURRENT: French rst_count"
grep -qxF "  rst_by                     un nom                 qui a envoyé des segments RST [client server both none]" \
    "$TMP/fields-fr.txt" || fail "$CURRENT: French rst_by"
grep -qxF "  zero_window                un compteur            segments annotés zero_window" "$TMP/fields-fr.txt" ||
    fail "$CURRENT: French code field"
grep -qxF "Unités${NNBSP}: durées ns us ms s (obligatoires)${NNBSP}; octets B KB MB GB KiB MiB GiB (facultatives)" \
    "$TMP/fields-fr.txt" || fail "$CURRENT: French units"
if grep -nE ' [:;!?]( |$)' "$TMP/fields-fr.txt"; then fail "$CURRENT: an ordinary space before a colon"; fi

echo "check_french: $failures failure(s)"
[ "$failures" -eq 0 ]
