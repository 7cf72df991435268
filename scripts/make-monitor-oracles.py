#!/usr/bin/python3
"""Record SciPy reference values for pulse's monitoring statistics (src/core/special-functions.ts, smirnov.ts,
kolmogorov.ts and src/monitor/drift/).

Writes test/fixtures/monitor/:
- special-functions.json: log-gamma, log-beta, incomplete gamma and beta, normal, chi-square and Student t values
  from SciPy, each with an mpmath value at 40 digits; `scipyExact` says whether SciPy agrees with mpmath to 1e-13
  (the tests compare with SciPy where it does and with mpmath where it does not).
- ks.json: `scipy.special.smirnov`, `scipy.stats.kstwo.sf` and `scipy.stats.ks_2samp(method="auto")` (two-sided)
  values. Large synthetic samples are described by a generator (below) that TypeScript reproduces bit for bit;
  small samples are stored in the case, real-data samples are named windows.
- windows.json: the real-data windows, log returns computed from ../shared/data/market closes (GOOG-1d by calendar
  year, ETH_BTC-5m and LTC_BTC-5m), stored so that the tests run without ../shared. Without ../shared the script
  leaves the real-data cases out.
- evidently.json: the Evidently 0.7.21 drift statistics (wasserstein, psi, jensenshannon, chisquare, z), the default
  test choice and the drift verdicts; for numerical columns also pulse's binned chi-square (marked pulseExtension:
  SciPy's chi2_contingency over PSI's Sturges bins, which Evidently does not offer). Evidently itself is not installed here (it needs PyPI), so its functions are
  transcribed below line by line from github.com/evidentlyai/evidently at commit a4aa4c2b (v0.7.21),
  src/evidently/legacy/calculations/stattests/{utils,psi,jensenshannon,chisquare_stattest,
  wasserstein_distance_norm,z_stattest,ks_stattest,registry}.py, with pandas' value_counts / nunique written with
  NumPy; the SciPy and NumPy calls are the ones Evidently makes.

Generator ("lcg"): u_k from the 32-bit LCG s <- (1664525 s + 1013904223) mod 2^32, u = s / 2^32 (exact in double
arithmetic on both sides); value_i = shift + scale * (u_2i + u_2i+1 - 1) (triangular on [-1, 1]), optionally
snapped to a grid: floor(value / grid + 0.5) * grid. Only exactly rounded operations, so NumPy and V8 agree.

Rerun with Debian's Python (SciPy 1.10.1, NumPy 1.24):  /usr/bin/python3 scripts/make-monitor-oracles.py
"""
import csv
import json
import os
import warnings

import mpmath
import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

OUT = os.path.join("test", "fixtures", "monitor")
SHARED = os.path.join("..", "shared", "data", "market")
mpmath.mp.dps = 40


def lcg_sample(spec):
    s = spec["seed"] % 2**32
    out = np.empty(spec["n"])
    for i in range(spec["n"]):
        s = (1664525 * s + 1013904223) % 2**32
        u1 = s / 2**32
        s = (1664525 * s + 1013904223) % 2**32
        u2 = s / 2**32
        v = spec.get("shift", 0.0) + spec.get("scale", 1.0) * (u1 + u2 - 1.0)
        if spec.get("grid"):
            v = np.floor(v / spec["grid"] + 0.5) * spec["grid"]
        out[i] = v
    return out


real_windows = {}  # name -> log returns read from ../shared; stored once in windows.json


def sample(desc):
    if "seed" in desc:
        return lcg_sample(desc)
    if "window" in desc:
        x = real_windows[desc["window"]]
        return np.abs(x) if desc.get("abs") else x
    return np.asarray(desc["values"], dtype=float)


def finite_or_name(v):
    """JSON has no inf or NaN: those are written as the strings "Infinity", "-Infinity" and "NaN"."""
    if v is None or np.isfinite(v):
        return v
    return "NaN" if np.isnan(v) else ("Infinity" if v > 0 else "-Infinity")


def rel(a, b):
    return 0.0 if a == b else abs(a - b) / abs(b) if b != 0 else abs(a)


# ---------------------------------------------------------------------------------------------- special functions
special_cases = []


def add_special(fn, args, value, exact):
    value = float(value)
    exact = float(exact)
    special_cases.append({"fn": fn, "args": [float(a) for a in args], "scipy": value, "mpmath": exact,
                          "scipyExact": rel(value, exact) <= 1e-13 or (fn == "logGamma" and abs(value - exact) < 1e-15)})


for x in [1e-8, 0.1, 0.5, 0.9, 1.0, 1.5, 2.0, 2.5, 3.7, 9.9, 10.0, 10.5, 33.3, 171.5, 1e3, 1e5, 1e8]:
    add_special("logGamma", [x], special.gammaln(x), mpmath.loggamma(x))
for a, b in [(0.5, 0.5), (3, 4), (0.5, 20), (15, 20), (2500, 0.5), (0.5, 9.5), (1e5, 3e5), (1e-3, 1e4)]:
    add_special("logBeta", [a, b], special.betaln(a, b), mpmath.log(mpmath.beta(a, b)))
for a in [0.1, 0.5, 1, 2.5, 7, 10, 33.3, 150, 1000]:
    for x in [1e-3, 0.1, 0.9, 1, 2, 5, a * 0.5, a, a * 1.1, a * 2, a + 50, 300]:
        add_special("gammaP", [a, x], special.gammainc(a, x), mpmath.gammainc(a, 0, x, regularized=True))
        add_special("gammaQ", [a, x], special.gammaincc(a, x), mpmath.gammainc(a, x, mpmath.inf, regularized=True))
for a, b in [(0.5, 0.5), (0.5, 3), (2, 5), (10, 0.5), (50, 0.5), (2500, 0.5), (0.5, 2500), (30, 40), (200, 300)]:
    for x in [1e-5, 0.01, 0.2, 0.5, 0.8, 0.99, 0.99999]:
        add_special("betaI", [x, a, b], special.betainc(a, b, x), mpmath.betainc(a, b, 0, x, regularized=True))
for x in [-37, -20, -8, -5.7, -3, -1, -0.6, -0.1, 0, 0.3, 0.7, 1.5, 4, 6, 9]:
    add_special("normalCdf", [x], special.ndtr(x), mpmath.ncdf(x))
    add_special("normalSf", [x], stats.norm.sf(x), mpmath.ncdf(-x))
for x in [0.5, 1, 3, 10, 50, 300]:
    for df in [1, 2, 3, 10, 50, 200]:
        add_special("chiSquareSf", [x, df], stats.chi2.sf(x, df), mpmath.gammainc(df / 2, x / 2, mpmath.inf, regularized=True))


def t_cdf_mp(t, df):
    t, df = mpmath.mpf(t), mpmath.mpf(df)
    tail = mpmath.betainc(df / 2, 0.5, 0, df / (df + t * t), regularized=True) / 2
    return 1 - tail if t > 0 else tail


for df in [1, 2, 3, 5, 9.5, 30, 100, 999, 5000, 1e5, 1e6]:
    for t in [-40, -7, -3, -1.5, -0.3, 0, 0.2, 1, 2.5, 6, 30]:
        add_special("studentTCdf", [t, df], stats.t.cdf(t, df), t_cdf_mp(t, df))
        add_special("studentTSf", [t, df], stats.t.sf(t, df), t_cdf_mp(-t, df))

# ------------------------------------------------------------------------------------------ KS distributions
smirnov_cases = []
for n in [1, 2, 3, 5, 10, 11, 50, 140, 141, 500, 1012, 1013, 4000, 50000, 200000, 1000001, 3000000]:
    for x in [0, 1e-7, 0.5 / n, 1.0 / n, 1.5 / n, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1 - 1.0 / n, 0.999, 1]:
        if 0 <= x <= 1:
            smirnov_cases.append({"n": n, "x": x, "sf": float(special.smirnov(n, x))})

kolmogorov_cases = []
for n in [1, 2, 3, 5, 10, 37, 100, 140, 141, 300, 1000, 4000, 20000, 50000, 100000, 100001]:
    ds = [0.2 / n, 0.5 / n, 0.7 / n, 1.0 / n, 1.3 / n, 2.5 / n, 0.005, 0.01, 0.02, 0.04, 0.08, 0.12, 0.2, 0.3, 0.45, 0.5,
          0.6, 0.9, 1 - 1.0 / n, 1 - 0.5 / n, 1]
    ds += [z / np.sqrt(n) for z in [0.3, 0.5, 0.7, 0.85, 0.9, 1.0, 1.2, 1.45, 1.5, 1.8, 2.0, 2.2, 3, 4.2]]
    for d in ds:
        if 0 <= d <= 1:
            kolmogorov_cases.append({"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n))})

# ------------------------------------------------------------------------------------------ two-sample KS
ks_cases = []


def add_ks(name, ref, cur):
    a, b = sample(ref), sample(cur)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = stats.ks_2samp(a, b, alternative="two-sided", method="auto")
    failed = any("Exact calculation unsuccessful" in str(w.message) for w in caught)
    method = "exact" if max(len(a), len(b)) <= 10000 and not failed else "asymptotic"
    ks_cases.append({"name": name, "reference": ref, "current": cur, "statistic": float(r.statistic),
                     "pValue": float(r.pvalue), "method": method, "exactFailed": failed})


def stored(x):
    return {"values": [float(v) for v in x]}


rs = np.random.RandomState(20261204)
# tiny samples: equal sizes, unequal sizes, size 1, ties, identical, separated
for n in [1, 2, 3, 4, 6, 10, 20]:
    add_ks(f"equal n={n}", stored(np.round(rs.normal(size=n), 3)), stored(np.round(rs.normal(0.5, 1, size=n), 3)))
for n1, n2 in [(1, 5), (5, 1), (1, 1), (3, 7), (10, 15), (20, 13), (50, 75), (100, 37), (7, 300)]:
    add_ks(f"unequal {n1} vs {n2}", stored(np.round(rs.normal(size=n1), 3)), stored(np.round(rs.normal(0.3, 1.2, size=n2), 3)))
add_ks("ties 40 vs 25 on 5 values", stored(rs.randint(0, 5, 40).astype(float)), stored(rs.randint(0, 5, 25).astype(float)))
add_ks("ties 30 vs 30 on 3 values", stored(rs.randint(0, 3, 30).astype(float)), stored(rs.randint(1, 4, 30).astype(float)))
add_ks("identical samples", stored([1.5, 2.5, 2.5, 3.0, 7.0]), stored([1.5, 2.5, 2.5, 3.0, 7.0]))
add_ks("constant vs constant", stored([2.0] * 8), stored([3.0] * 6))
add_ks("separated 12 vs 9", stored(np.arange(12.0)), stored(np.arange(9.0) + 100))
for n in [5, 7, 15]:  # perfectly interleaved: SciPy's exact sum exceeds 1 and it falls back to kstwo
    add_ks(f"interleaved n={n}", stored(np.arange(n) * 2.0), stored(np.arange(n) * 2.0 + 1))
# around the exact / asymptotic switch (max(n1, n2) <= 10000 is exact) and small effective sizes on the asymptotic side
for (n1, n2, shift, seed) in [(10000, 10000, 0.02, 1), (10000, 9999, 0.03, 2), (9999, 10000, 0.0, 3),
                              (10001, 10000, 0.02, 4), (10001, 9000, 0.01, 5), (10000, 50, 0.2, 6), (10001, 50, 0.2, 7),
                              (20000, 141, 0.15, 8), (15000, 30, 0.3, 9), (12000, 1, 0.0, 10), (10001, 2, 0.5, 11),
                              (30000, 300, 0.05, 12), (10001, 10001, 0.03, 13)]:  # last: n1 n2 / (n1 + n2) = 5000.5
    add_ks(f"switch {n1} vs {n2} shift {shift}", {"seed": seed * 101, "n": n1, "scale": 1.0},
           {"seed": seed * 101 + 7, "n": n2, "scale": 1.0, "shift": shift})
# large samples: each branch of kstwo (Durbin matrix, Pelz-Good, 2 smirnov, far tail)
for (n1, n2, shift, seed) in [(20000, 5000, 0.0, 21), (20000, 5000, 0.01, 22), (20000, 5000, 0.05, 23),
                              (20000, 5000, 0.3, 24), (100000, 100000, 0.005, 25), (100000, 100000, 0.0, 26),
                              (60000, 40000, 0.02, 27)]:
    add_ks(f"large {n1} vs {n2} shift {shift}", {"seed": seed * 101, "n": n1, "scale": 1.0},
           {"seed": seed * 101 + 7, "n": n2, "scale": 1.0, "shift": shift})
add_ks("large with ties on a 0.05 grid", {"seed": 3131, "n": 30000, "scale": 1.0, "grid": 0.05},
       {"seed": 3138, "n": 12000, "scale": 1.1, "grid": 0.05})


def read_close(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["timestamp"] for r in rows], np.array([float(r["close"]) for r in rows])


if os.path.isdir(SHARED):
    ts, close = read_close(os.path.join(SHARED, "backtesting.py", "GOOG-1d.csv"))
    ret = np.log(close[1:] / close[:-1])
    year = np.array([t[:4] for t in ts[1:]])
    for y in ["2005", "2006", "2008"]:
        real_windows[f"GOOG-1d log returns {y}"] = ret[year == y]
    _, eth = read_close(os.path.join(SHARED, "freqtrade", "ETH_BTC-5m.csv"))
    _, ltc = read_close(os.path.join(SHARED, "freqtrade", "LTC_BTC-5m.csv"))
    eth_ret = np.log(eth[1:] / eth[:-1])
    ltc_ret = np.log(ltc[1:] / ltc[:-1])
    real_windows["ETH_BTC-5m log returns first 1500"] = eth_ret[:1500]
    real_windows["ETH_BTC-5m log returns last 1500"] = eth_ret[-1500:]
    real_windows["LTC_BTC-5m log returns last 1000"] = ltc_ret[-1000:]
    w = lambda name, **kw: {"window": name, **kw}  # noqa: E731
    add_ks("GOOG-1d returns 2005 vs 2008", w("GOOG-1d log returns 2005"), w("GOOG-1d log returns 2008"))
    add_ks("GOOG-1d returns 2005 vs 2006", w("GOOG-1d log returns 2005"), w("GOOG-1d log returns 2006"))
    add_ks("GOOG-1d |returns| 2005 vs 2008", w("GOOG-1d log returns 2005", abs=True), w("GOOG-1d log returns 2008", abs=True))
    add_ks("ETH_BTC-5m returns first vs last 1500", w("ETH_BTC-5m log returns first 1500"), w("ETH_BTC-5m log returns last 1500"))
    add_ks("ETH_BTC-5m vs LTC_BTC-5m returns", w("ETH_BTC-5m log returns last 1500"), w("LTC_BTC-5m log returns last 1000"))
else:
    print("../shared is absent: the real-data windows are left out")

# ---------------------------------------------------------------------------------------- Evidently transcription


def nunique(x):
    return len(np.unique(x))


def value_count_dict(x):
    keys, counts = np.unique(x, return_counts=True)
    return {float(k): int(c) for k, c in zip(keys, counts)}


def get_binned_data(reference_data, current_data, numerical, n, feel_zeroes=True):  # utils.py
    n_vals = nunique(reference_data)
    if numerical and n_vals > 20:
        combined = np.concatenate([reference_data, current_data])
        bins = np.histogram_bin_edges(combined, bins="sturges")
        reference_percents = np.histogram(reference_data, bins)[0] / len(reference_data)
        current_percents = np.histogram(current_data, bins)[0] / len(current_data)
    else:
        keys = list(set(np.unique(reference_data).tolist()) | set(np.unique(current_data).tolist()))
        ref_feature_dict = {**dict.fromkeys(keys, 0), **value_count_dict(reference_data)}
        current_feature_dict = {**dict.fromkeys(keys, 0), **value_count_dict(current_data)}
        reference_percents = np.array([ref_feature_dict[key] / len(reference_data) for key in keys])
        current_percents = np.array([current_feature_dict[key] / len(current_data) for key in keys])
    if feel_zeroes:
        np.place(reference_percents, reference_percents == 0,
                 min(reference_percents[reference_percents != 0]) / 10**6
                 if min(reference_percents[reference_percents != 0]) <= 0.0001 else 0.0001)
        np.place(current_percents, current_percents == 0,
                 min(current_percents[current_percents != 0]) / 10**6
                 if min(current_percents[current_percents != 0]) <= 0.0001 else 0.0001)
    return reference_percents, current_percents


def ev_psi(ref, cur, numerical, threshold=0.1):  # psi.py
    r, c = get_binned_data(ref, cur, numerical, 30)
    value = np.sum((r - c) * np.log(r / c))
    return float(value), None, bool(value >= threshold)


def ev_jensenshannon(ref, cur, numerical, threshold=0.1):  # jensenshannon.py
    r, c = get_binned_data(ref, cur, numerical, 30, False)
    value = distance.jensenshannon(r, c, None)
    return float(value), None, bool(value >= threshold)


def ev_wasserstein(ref, cur, numerical, threshold=0.1):  # wasserstein_distance_norm.py
    norm = max(float(np.std(ref)), 0.001)
    value = stats.wasserstein_distance(ref, cur) / norm
    return float(value), None, bool(value >= threshold)


def ev_chisquare(ref, cur, numerical, threshold=0.05):  # chisquare_stattest.py
    keys = list(set(np.unique(ref).tolist()) | set(np.unique(cur).tolist()))
    ref_feature_dict = {**dict.fromkeys(keys, 0), **value_count_dict(ref)}
    current_feature_dict = {**dict.fromkeys(keys, 0), **value_count_dict(cur)}
    k_norm = cur.shape[0] / ref.shape[0]
    f_exp = [ref_feature_dict[key] * k_norm for key in keys]
    f_obs = [current_feature_dict[key] for key in keys]
    with np.errstate(divide="ignore", invalid="ignore"):
        stat, p_value = stats.chisquare(f_obs, f_exp)
    return float(stat), float(p_value), bool(p_value < threshold)


def ev_z(ref, cur, numerical, threshold=0.05):  # z_stattest.py
    if nunique(ref) == 1 and nunique(cur) == 1 and np.unique(ref)[0] == np.unique(cur)[0]:
        return 0.0, 1.0, bool(1 < threshold)
    keys = sorted(set(np.unique(ref).tolist()) | set(np.unique(cur).tolist()))
    r01 = np.where(ref == keys[0], 0, 1)
    c01 = np.where(cur == keys[0], 0, 1)
    n1, n2 = len(r01), len(c01)
    p1 = float(sum(r01)) / n1
    p2 = float(sum(c01)) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    p_value = 2 * (1 - stats.norm.cdf(np.abs(z)))
    return float(z), float(p_value), bool(p_value < threshold)


def ev_ks(ref, cur, numerical, threshold=0.05):  # ks_stattest.py
    r = stats.ks_2samp(ref, cur)
    return float(r.statistic), float(r.pvalue), bool(r.pvalue <= threshold)


def pulse_binned_chisquare(ref, cur, numerical, threshold=0.05):
    """pulse's extension (not Evidently): for numerical columns with more than 20 distinct reference values, the
    homogeneity test on the 2 x k table of counts over PSI's Sturges bins (bins empty in both windows left out),
    SciPy's chi2_contingency without Yates' correction."""
    if not (numerical and nunique(ref) > 20):
        return ev_chisquare(ref, cur, numerical, threshold)
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    table = np.array([np.histogram(ref, edges)[0], np.histogram(cur, edges)[0]])
    table = table[:, table.sum(axis=0) > 0]
    stat, p_value, _, _ = stats.chi2_contingency(table, correction=False)
    return float(stat), float(p_value), bool(p_value < threshold)


def default_stattest(ref, cur, numerical):  # registry.py _get_default_stattest
    n_values = nunique(np.concatenate([ref, cur]))
    if ref.shape[0] <= 1000:
        if numerical:
            if n_values <= 5:
                return "chi2" if n_values > 2 else "z"
            return "ks"
        return "chi2" if n_values > 2 else "z"
    if numerical:
        return "jensenshannon" if n_values <= 5 else "wasserstein"
    return "jensenshannon"


EVIDENTLY = {"wasserstein": ev_wasserstein, "psi": ev_psi, "jensenshannon": ev_jensenshannon, "chi2": ev_chisquare,
             "z": ev_z, "ks": ev_ks}
APPLIES = {"wasserstein": {"numerical"}, "ks": {"numerical"}, "psi": {"numerical", "categorical"},
           "jensenshannon": {"numerical", "categorical"}, "chi2": {"categorical"}, "z": {"categorical"}}

evidently_cases = []


def add_evidently(name, kind, ref_desc, cur_desc, extra_tests=()):
    ref, cur = sample(ref_desc), sample(cur_desc)
    numerical = kind == "numerical"
    auto = default_stattest(ref, cur, numerical)
    results = {}
    for test, fn in EVIDENTLY.items():
        if kind in APPLIES[test] or test == auto or test in extra_tests:
            statistic, p_value, drifted = fn(ref, cur, numerical)
            results[test] = {"statistic": finite_or_name(statistic), "pValue": finite_or_name(p_value), "drifted": drifted}
    if numerical and "chi2" not in results:
        statistic, p_value, drifted = pulse_binned_chisquare(ref, cur, numerical)
        results["chi2"] = {"statistic": finite_or_name(statistic), "pValue": finite_or_name(p_value), "drifted": drifted,
                           "pulseExtension": True}
    evidently_cases.append({"name": name, "kind": kind, "reference": ref_desc, "current": cur_desc, "auto": auto,
                            "referenceDistinct": int(nunique(ref)), "bothDistinct": int(nunique(np.concatenate([ref, cur]))),
                            "results": results})


add_evidently("numerical 500 vs 400, no shift", "numerical", {"seed": 501, "n": 500}, {"seed": 502, "n": 400})
add_evidently("numerical 500 vs 400, shift 0.3", "numerical", {"seed": 503, "n": 500}, {"seed": 504, "n": 400, "shift": 0.3})
add_evidently("numerical 1000 vs 1000 (largest small reference)", "numerical", {"seed": 505, "n": 1000}, {"seed": 506, "n": 1000, "scale": 1.3})
add_evidently("numerical 1001 vs 800 (smallest large reference)", "numerical", {"seed": 507, "n": 1001}, {"seed": 508, "n": 800, "shift": 0.05})
add_evidently("numerical 5000 vs 3000, shift 0.2", "numerical", {"seed": 509, "n": 5000, "scale": 2.0}, {"seed": 510, "n": 3000, "scale": 2.0, "shift": 0.2})
add_evidently("numerical 20000 vs 20000, scale 1.05", "numerical", {"seed": 511, "n": 20000}, {"seed": 512, "n": 20000, "scale": 1.05})
add_evidently("numerical with 13 values (value bins), 600 vs 500", "numerical", {"seed": 513, "n": 600, "grid": 1 / 6},
              {"seed": 514, "n": 500, "grid": 1 / 6, "shift": 0.1})
add_evidently("numerical with 21 values (value bins), 3000 vs 2000", "numerical", {"seed": 515, "n": 3000, "scale": 2.0, "grid": 0.2},
              {"seed": 516, "n": 2000, "scale": 2.0, "grid": 0.2, "shift": 0.05})
add_evidently("numerical with 4 values, 300 vs 250", "numerical", {"seed": 517, "n": 300, "grid": 0.5}, {"seed": 518, "n": 250, "grid": 0.5})
add_evidently("numerical with 2 values, 200 vs 150", "numerical", {"values": [0.0] * 120 + [1.0] * 80}, {"values": [0.0] * 70 + [1.0] * 80})
add_evidently("numerical with 5 values, 4000 vs 3000", "numerical", {"seed": 519, "n": 4000, "scale": 1.2, "grid": 0.6},
              {"seed": 520, "n": 3000, "scale": 1.2, "grid": 0.6, "shift": 0.1})
add_evidently("constant reference, 300 vs 300", "numerical", {"values": [1.25] * 300}, {"seed": 521, "n": 300, "shift": 1.25, "scale": 0.01},
              extra_tests=("psi", "jensenshannon"))
add_evidently("categorical 6 codes, 700 vs 500", "categorical", {"seed": 522, "n": 700, "scale": 3.0, "shift": 3.0, "grid": 1.0},
              {"seed": 523, "n": 500, "scale": 3.0, "shift": 3.3, "grid": 1.0})
add_evidently("categorical with a new code in current", "categorical", {"values": [0.0] * 50 + [1.0] * 30 + [2.0] * 20},
              {"values": [0.0] * 40 + [1.0] * 30 + [2.0] * 20 + [3.0] * 10})
add_evidently("categorical 2 codes, 900 vs 900", "categorical", {"values": [3.0] * 500 + [7.0] * 400}, {"values": [3.0] * 420 + [7.0] * 480})
add_evidently("categorical 2 codes, tiny difference", "categorical", {"values": [0.0] * 60 + [1.0] * 40}, {"values": [0.0] * 61 + [1.0] * 39})
add_evidently("categorical 1 code in both", "categorical", {"values": [4.0] * 30}, {"values": [4.0] * 20})
add_evidently("categorical 1 code each, different", "categorical", {"values": [4.0] * 30}, {"values": [5.0] * 20})
add_evidently("categorical 3 codes, 5000 vs 5000", "categorical", {"seed": 524, "n": 5000, "shift": 1.0, "grid": 1.0},
              {"seed": 525, "n": 5000, "shift": 1.0, "grid": 1.0, "scale": 1.2})
if real_windows:
    add_evidently("GOOG-1d returns 2005 vs 2008", "numerical", {"window": "GOOG-1d log returns 2005"}, {"window": "GOOG-1d log returns 2008"})
    add_evidently("ETH_BTC-5m returns first vs last 1500", "numerical", {"window": "ETH_BTC-5m log returns first 1500"},
                  {"window": "ETH_BTC-5m log returns last 1500"})

os.makedirs(OUT, exist_ok=True)
common = {"generator": "scripts/make-monitor-oracles.py", "scipy": scipy.__version__, "numpy": np.__version__}
with open(os.path.join(OUT, "windows.json"), "w") as f:
    json.dump({**common, "source": "log returns of ../shared/data/market closes (see its SOURCES.md)",
               "windows": {k: [float(v) for v in x] for k, x in real_windows.items()}}, f, separators=(",", ":"))
with open(os.path.join(OUT, "special-functions.json"), "w") as f:
    json.dump({**common, "mpmath": mpmath.__version__, "cases": special_cases}, f, separators=(",", ":"), allow_nan=False)
with open(os.path.join(OUT, "ks.json"), "w") as f:
    json.dump({**common, "smirnov": smirnov_cases, "kolmogorov": kolmogorov_cases, "ks2samp": ks_cases}, f, separators=(",", ":"),
              allow_nan=False)
with open(os.path.join(OUT, "evidently.json"), "w") as f:
    json.dump({**common, "evidently": "0.7.21 (a4aa4c2b), transcribed", "cases": evidently_cases}, f, separators=(",", ":"),
              allow_nan=False)
print(f"{len(special_cases)} special-function values ({sum(not c['scipyExact'] for c in special_cases)} where SciPy is off), "
      f"{len(smirnov_cases)} smirnov, {len(kolmogorov_cases)} kstwo, {len(ks_cases)} ks_2samp, {len(evidently_cases)} Evidently cases")
