#!/usr/bin/python3
"""SciPy / NumPy side of bench/monitor.ts: times ks_2samp and a NumPy PSI on the same features, in the same run.

    /usr/bin/python3 bench/monitor-scipy.py DATA.f64 FEATURES ROWS

DATA.f64 holds little-endian float64: FEATURES reference columns of ROWS values, then FEATURES current columns.
The file is read (each column made a contiguous array) before any timing. Then the script answers commands on
stdin, one per line, so that the caller can alternate its own passes with these on a machine whose load changes:
- `ks`: one timed pass of scipy.stats.ks_2samp(ref, cur) (two-sided, method "auto"; at 100,000 rows that is the
  asymptotic kstwo path) over all features;
- `psi`: one timed pass of Evidently's PSI (get_binned_data + psi.py) in NumPy: the "more than 20 distinct
  reference values" check written to stop early (np.unique of the first 64 values, else of all), Sturges edges of
  both windows with np.histogram_bin_edges, np.histogram with the equal-width fast path (bins=k, range=...: the same
  edges and counts as Evidently's call with the edges array, which takes NumPy's slower sort-based path), Evidently's
  zero filling and the sum;
- `psi_edges`: the same with Evidently's literal np.histogram(x, edges) call, for reference;
- `quit`.
Each answer is one JSON line {"seconds": s, "values": [...]} (p-values or PSI values of the pass), timed with
time.perf_counter around the pass only.
"""
import json
import sys
import time

import numpy as np
from scipy import stats

path, features, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = np.fromfile(path, dtype="<f8")
assert data.size == 2 * features * rows, "data file has the wrong size"
ref = [np.ascontiguousarray(data[f * rows:(f + 1) * rows]) for f in range(features)]
cur = [np.ascontiguousarray(data[(features + f) * rows:(features + f + 1) * rows]) for f in range(features)]
del data


def fill_zeroes(p):
    nz = p[p != 0]
    np.place(p, p == 0, nz.min() / 10**6 if nz.min() <= 0.0001 else 0.0001)
    return p


def more_than_20_values(x):
    return np.unique(x[:64]).size > 20 or np.unique(x).size > 20


def psi(r, c, literal_edges=False):
    if more_than_20_values(r):
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        if literal_edges:
            rc = np.histogram(r, edges)[0]
            cc = np.histogram(c, edges)[0]
        else:
            k = edges.size - 1
            rc = np.histogram(r, bins=k, range=(edges[0], edges[-1]))[0]
            cc = np.histogram(c, bins=k, range=(edges[0], edges[-1]))[0]
    else:
        keys = np.union1d(r, c)
        rc = np.array([np.count_nonzero(r == k) for k in keys])
        cc = np.array([np.count_nonzero(c == k) for k in keys])
    rp = fill_zeroes(rc / r.size)
    cp = fill_zeroes(cc / c.size)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


PASSES = {
    "ks": lambda f: float(stats.ks_2samp(ref[f], cur[f]).pvalue),
    "psi": lambda f: psi(ref[f], cur[f]),
    "psi_edges": lambda f: psi(ref[f], cur[f], literal_edges=True),
}
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command = line.strip()
    if command == "quit":
        break
    run = PASSES[command]
    t0 = time.perf_counter()
    values = [run(f) for f in range(features)]
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "values": values}), flush=True)
