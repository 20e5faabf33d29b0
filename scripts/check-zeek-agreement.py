#!/usr/bin/env python3
"""Hold tcpflow-explain's Zeek verdicts to the agreement they have reached with Zeek itself.

The Zeek baselines (the conn.log rows Zeek's developers committed for traces of Zeek's test
suite, with the comparison script compare.py) live outside the repository, in ../shared/zeek
(docs/corpus-differences.md, the Zeek section, explains every remaining difference). This
runs that compare.py on the tool and fails when a figure falls below its threshold:

  seen        Zeek's TCP connections we report (matched by 5-tuple, either direction)
  conn_state  rows where our conn_state equals Zeek's (of the rows with a conn_state)
  history     rows where our history equals Zeek's, Zeek's analyzer letter X removed

each over all rows and over the rows outside the largest trace (llc.pcap, 1333 near
identical connections on an FDDI link, which would hide every other class).

Usage: check-zeek-agreement.py --tool BIN [--zeek DIR] [--out DIR]
         [--min-seen PCT] [--min-conn-state PCT] [--min-history PCT]      (all rows)
         [--min-seen-rest PCT] [--min-conn-state-rest PCT] [--min-history-rest PCT]
Exit status: 0 every figure at or above its threshold, 1 one below, 2 usage or tool
error, 77 the Zeek baselines are absent (the ctest skip code).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile


def strip_x(h: str) -> str:
    return h.replace('X', '').replace('x', '')


def figures(rows: list[dict]) -> dict[str, tuple[int, int]]:
    found = [r for r in rows if r['found'] == 'True']
    cs = [r for r in rows if r['conn_state'] != '-']
    hs = [r for r in rows if r['history'] != '-']
    return {
        'seen': (len(found), len(rows)),
        'conn_state': (sum(1 for r in cs if r['found'] == 'True' and r['our_conn_state'] == r['conn_state']), len(cs)),
        'history': (sum(1 for r in hs if r['found'] == 'True' and
                        strip_x(r['our_history']) == strip_x(r['history'])), len(hs)),
    }


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('--tool', required=True)
    ap.add_argument('--zeek', default=os.path.join(here, '..', '..', 'shared', 'zeek'))
    ap.add_argument('--out', default=None)
    for name in ('seen', 'conn-state', 'history'):
        ap.add_argument('--min-' + name, type=float, default=0.0)
        ap.add_argument('--min-' + name + '-rest', type=float, default=0.0)
    a = ap.parse_args()
    compare = os.path.join(a.zeek, 'compare.py')
    if not os.path.isfile(compare) or not os.path.isfile(os.path.join(a.zeek, 'expected.tsv')):
        print('skipped: the Zeek baselines are absent (%s): nothing to compare' % os.path.abspath(a.zeek))
        return 77
    if not os.access(a.tool, os.X_OK):
        print('not executable: ' + a.tool, file=sys.stderr)
        return 2
    out = a.out or tempfile.mkdtemp(prefix='zeek-agreement-')
    p = subprocess.run([sys.executable, compare, a.tool, '--out', out, '--quiet'], capture_output=True, text=True)
    sys.stdout.write(p.stdout)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        return 2
    with open(os.path.join(out, 'results.tsv'), newline='') as f:
        rows = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
    rest = [r for r in rows if r['trace'] != 'llc.pcap']
    mins = {
        ('all', 'seen'): a.min_seen, ('all', 'conn_state'): a.min_conn_state, ('all', 'history'): a.min_history,
        ('rest', 'seen'): a.min_seen_rest, ('rest', 'conn_state'): a.min_conn_state_rest,
        ('rest', 'history'): a.min_history_rest,
    }
    failed = False
    print('== thresholds (history without Zeek\'s analyzer letter X)')
    for scope, rs in (('all', rows), ('rest', rest)):
        for name, (n, d) in figures(rs).items():
            pct = 100.0 * n / d if d else 100.0
            need = mins[(scope, name)]
            ok = pct + 1e-9 >= need
            failed |= not ok
            label = 'all rows' if scope == 'all' else 'without llc.pcap'
            print('  %-16s %-10s %5d/%-5d %6.2f %%  (minimum %.2f %%) %s'
                  % (label, name, n, d, pct, need, 'ok' if ok else 'BELOW'))
    print('disagreements: ' + os.path.join(out, 'disagreements.tsv'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
