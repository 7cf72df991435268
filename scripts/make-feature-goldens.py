#!/usr/bin/env python3
"""Textbook reference values for every feature of pulse's default set.

Reads test/fixtures/features/bars.csv (written by make-feature-goldens.R) and writes
test/fixtures/features/naive-goldens.csv: one column per default feature, computed by direct, naive
definitions (explicit window loops, two-pass moments, no running sums), independent of pulse's
single-pass kernels. Only the Python standard library is used. Run from the repository root:
    python3 scripts/make-feature-goldens.py
"""
import csv
import math
from fractions import Fraction
from datetime import datetime, timezone

NAN = float("nan")


def read_bars(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    t = [datetime.strptime(r["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) for r in rows]
    col = lambda k: [float(r[k]) for r in rows]
    return t, col("open"), col("high"), col("low"), col("close"), col("volume")


T, O, H, L, C, V = read_bars("test/fixtures/features/bars.csv")
n = len(C)


def window(x, i, N):
    return x[i - N + 1 : i + 1]


def mean(xs):
    return sum(xs) / len(xs)


def rolling(x, N, f, first=0):
    """f(window) for every row whose N-row window starts at or after `first`."""
    return [f(window(x, i, N)) if i - N + 1 >= first else NAN for i in range(n)]


def first_valid(x):
    return next(i for i, v in enumerate(x) if not math.isnan(v))


def ema_from(x, N, alpha=None):
    a = 2 / (N + 1) if alpha is None else alpha
    s = first_valid(x)
    out = [NAN] * n
    out[s + N - 1] = mean(x[s : s + N])
    for i in range(s + N, n):
        out[i] = out[i - 1] + a * (x[i] - out[i - 1])
    return out


def pop_std(xs):
    m = mean(xs)
    return math.sqrt(sum((v - m) ** 2 for v in xs) / len(xs))


def sample_std(xs):
    m = mean(xs)
    return math.sqrt(sum((v - m) ** 2 for v in xs) / (len(xs) - 1))


def lag(x, k):
    return [x[i - k] if i >= k else NAN for i in range(n)]


def sub(a, b):
    return [p - q for p, q in zip(a, b)]


logret1 = [NAN] + [math.log(C[i] / C[i - 1]) for i in range(1, n)]
TP = [(H[i] + L[i] + C[i]) / 3 for i in range(n)]
TR = [NAN] + [max(H[i], C[i - 1]) - min(L[i], C[i - 1]) for i in range(1, n)]


def sma(N):
    return rolling(C, N, mean)


def ema(N):
    return ema_from(C, N)


def wma(N):
    w = list(range(1, N + 1))
    return rolling(C, N, lambda xs: sum(a * b for a, b in zip(w, xs)) / sum(w))


def wilder(x, N):
    s = first_valid(x)
    out = [NAN] * n
    out[s + N - 1] = mean(x[s : s + N])
    for i in range(s + N, n):
        out[i] = (out[i - 1] * (N - 1) + x[i]) / N
    return out


def atr(N):
    return wilder(TR, N)


def rsi(N):
    d = [NAN] + [C[i] - C[i - 1] for i in range(1, n)]
    g = wilder([max(v, 0) if not math.isnan(v) else NAN for v in d], N)
    lo = wilder([max(-v, 0) if not math.isnan(v) else NAN for v in d], N)
    return [NAN if math.isnan(a) else (50 if a + b == 0 else 100 * a / (a + b)) for a, b in zip(g, lo)]


def dmi(N):
    pdm, mdm = [NAN], [NAN]
    for i in range(1, n):
        up, dn = H[i] - H[i - 1], L[i - 1] - L[i]
        pdm.append(up if up > 0 and up > dn else 0.0)
        mdm.append(dn if dn > 0 and dn > up else 0.0)

    def wsum(x):
        out = [NAN] * n
        out[N] = sum(x[1 : N + 1])
        for i in range(N + 1, n):
            out[i] = out[i - 1] - out[i - 1] / N + x[i]
        return out

    sp, sm, st = wsum(pdm), wsum(mdm), wsum(TR)
    dip = [NAN if math.isnan(t) else (100 * a / t if t > 0 else 0) for a, t in zip(sp, st)]
    dim = [NAN if math.isnan(t) else (100 * a / t if t > 0 else 0) for a, t in zip(sm, st)]
    dx = [NAN if math.isnan(a) else (100 * abs(a - b) / (a + b) if a + b > 0 else 0) for a, b in zip(dip, dim)]
    adx = [NAN] * n
    adx[2 * N - 1] = mean(dx[N : 2 * N])
    for i in range(2 * N, n):
        adx[i] = (adx[i - 1] * (N - 1) + dx[i]) / N
    return adx, dip, dim


def aroon(N):
    up, dn = [NAN] * n, [NAN] * n
    for i in range(N, n):
        hs, ls = H[i - N : i + 1], L[i - N : i + 1]
        # most recent extreme on ties
        hi = max(k for k in range(N + 1) if hs[k] == max(hs))
        li = max(k for k in range(N + 1) if ls[k] == min(ls))
        up[i] = 100 * hi / N
        dn[i] = 100 * li / N
    return up, dn, sub(up, dn)


def hh(N):
    return rolling(H, N, max)


def ll(N):
    return rolling(L, N, min)


def stoch_k(N):
    return [NAN if i < N - 1 else (100 * (C[i] - lo) / (hi - lo) if hi > lo else 50) for i, hi, lo in zip(range(n), hh(N), ll(N))]


def cci(N):
    def f(i):
        w = window(TP, i, N)
        m = mean(w)
        mad = mean([abs(v - m) for v in w])
        return (TP[i] - m) / (0.015 * mad) if mad > 0 else 0

    return [f(i) if i >= N - 1 else NAN for i in range(n)]


def cmo(N):
    out = [NAN] * n
    for i in range(N, n):
        d = [C[j] - C[j - 1] for j in range(i - N + 1, i + 1)]
        u, w = sum(v for v in d if v > 0), -sum(v for v in d if v < 0)
        out[i] = 100 * (u - w) / (u + w) if u + w > 0 else 0
    return out


def bb(N, k):
    mid, sd = sma(N), rolling(C, N, pop_std)
    up = [m + k * s for m, s in zip(mid, sd)]
    lo = [m - k * s for m, s in zip(mid, sd)]
    pctb = [NAN if math.isnan(s) else ((c - lw) / (u - lw) if s > 0 else 0.5) for c, s, u, lw in zip(C, sd, up, lo)]
    width = [(u - lw) / m for u, lw, m in zip(up, lo, mid)]
    return up, mid, lo, pctb, width


def moments(xs):
    m = mean(xs)
    m2 = mean([(v - m) ** 2 for v in xs])
    m3 = mean([(v - m) ** 3 for v in xs])
    m4 = mean([(v - m) ** 4 for v in xs])
    return m2, m3, m4


def skew(N):
    def f(xs):
        m2, m3, _ = moments(xs)
        return m3 / m2**1.5 if m2 > 0 else 0

    return rolling(logret1, N, f, first=1)


def kurt(N):
    def f(xs):
        m2, _, m4 = moments(xs)
        return m4 / m2**2 - 3 if m2 > 0 else 0

    return rolling(logret1, N, f, first=1)


def pearson(xs, ys):
    mx, my = mean(xs), mean(ys)
    sxy = sum((a - mx) * (b - my) for a, b in zip(xs, ys))
    sxx = sum((a - mx) ** 2 for a in xs)
    syy = sum((b - my) ** 2 for b in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0


def yang_zhang(N):
    k = 0.34 / (1.34 + (N + 1) / (N - 1))
    out = [NAN] * n
    for i in range(N, n):
        js = range(i - N + 1, i + 1)
        on = [math.log(O[j] / C[j - 1]) for j in js]
        oc = [math.log(C[j] / O[j]) for j in js]
        rs = mean([math.log(H[j] / C[j]) * math.log(H[j] / O[j]) + math.log(L[j] / C[j]) * math.log(L[j] / O[j]) for j in js])
        out[i] = math.sqrt(sample_std(on) ** 2 + k * sample_std(oc) ** 2 + (1 - k) * rs)
    return out


def mfi(N):
    # rose / fell compares the exact mean of H, L, C rounded once (float of a Fraction is correctly rounded), as
    # R's mean and so TTR do; the flow itself is TP V
    once = [float((Fraction(H[i]) + Fraction(L[i]) + Fraction(C[i])) / 3) for i in range(n)]
    out = [NAN] * n
    for i in range(N, n):
        p = sum(TP[j] * V[j] for j in range(i - N + 1, i + 1) if once[j] > once[j - 1])
        q = sum(TP[j] * V[j] for j in range(i - N + 1, i + 1) if once[j] < once[j - 1])
        out[i] = 100 * p / (p + q) if p + q > 0 else 50
    return out


def cmf(N):
    def f(i):
        js = range(i - N + 1, i + 1)
        num = sum(((C[j] - L[j]) - (H[j] - C[j])) / (H[j] - L[j]) * V[j] for j in js if H[j] > L[j])
        den = sum(V[j] for j in js)
        return num / den if den > 0 else 0

    return [f(i) if i >= N - 1 else NAN for i in range(n)]


def vwapdev(N):
    def f(i):
        js = range(i - N + 1, i + 1)
        den = sum(V[j] for j in js)
        vwap = sum(TP[j] * V[j] for j in js) / den if den > 0 else mean([TP[j] for j in js])
        return C[i] / vwap - 1

    return [f(i) if i >= N - 1 else NAN for i in range(n)]


def volratio(N):
    return [NAN if i < N - 1 else (V[i] / mean(window(V, i, N)) if sum(window(V, i, N)) > 0 else 1) for i in range(n)]


def logret(k, lagk=0):
    return [math.log(C[i - lagk] / C[i - lagk - k]) if i >= k + lagk else NAN for i in range(n)]


def ratio_minus_one(a, b):
    return [x / y - 1 for x, y in zip(a, b)]


def slope(ma, k):
    return [ma[i] / ma[i - k] - 1 if i >= k else NAN for i in range(n)]


def cyc(phase, fn):
    return [fn(2 * math.pi * phase(t)) for t in T]


dow = lambda t: t.weekday() / 7
hour = lambda t: (t.hour + t.minute / 60 + t.second / 3600) / 24
month = lambda t: (t.month - 1) / 12

e12, e26 = ema(12), ema(26)
macd = sub(e12, e26)
signal = ema_from(macd, 9)
adx14, dip14, dim14 = dmi(14)
aup, adn, aosc = aroon(25)
bbu, bbm, bbl, bbp, bbw = bb(20, 2)
e20 = ema(20)
e1 = e20
e2 = ema_from(e1, 20)
e3 = ema_from(e2, 20)
e15_3 = ema_from(ema_from(ema(15), 15), 15)
atr14, atr20 = atr(14), atr(20)
k14 = stoch_k(14)
sd20 = rolling(C, 20, pop_std)
sma20, sma50 = sma(20), sma(50)

cols = {
    "sma_10": sma(10), "sma_20": sma20, "sma_50": sma50,
    "ema_10": ema(10), "ema_20": e20, "ema_50": ema(50), "wma_20": wma(20),
    "dema_20": [2 * a - b for a, b in zip(e1, e2)],
    "tema_20": [3 * a - 3 * b + c for a, b, c in zip(e1, e2, e3)],
    "smadist_20": ratio_minus_one(C, sma20), "smadist_50": ratio_minus_one(C, sma50),
    "emadist_20": ratio_minus_one(C, e20),
    "slope_sma_20_5": slope(sma20, 5), "slope_ema_50_10": slope(ema(50), 10),
    "macd_12_26": macd, "macd_signal_12_26_9": signal, "macd_hist_12_26_9": sub(macd, signal),
    "adx_14": adx14, "di_plus_14": dip14, "di_minus_14": dim14,
    "aroon_up_25": aup, "aroon_down_25": adn, "aroon_osc_25": aosc,
    "trix_15": [e15_3[i] / e15_3[i - 1] - 1 if i > 0 else NAN for i in range(n)],
    "rsi_7": rsi(7), "rsi_14": rsi(14),
    "stoch_k_14": k14, "stoch_d_14_3": rolling(k14, 3, mean, first=13),
    "willr_14": [NAN if i < 13 else (-100 * (hi - C[i]) / (hi - lo) if hi > lo else -50) for i, hi, lo in zip(range(n), hh(14), ll(14))],
    "cci_20": cci(20), "cmo_14": cmo(14),
    "roc_5": [C[i] / C[i - 5] - 1 if i >= 5 else NAN for i in range(n)],
    "roc_10": [C[i] / C[i - 10] - 1 if i >= 10 else NAN for i in range(n)],
    "roc_20": [C[i] / C[i - 20] - 1 if i >= 20 else NAN for i in range(n)],
    "mom_10": [C[i] - C[i - 10] if i >= 10 else NAN for i in range(n)],
    "atr_14": atr14, "natr_14": [a / c for a, c in zip(atr14, C)],
    "bb_upper_20_2": bbu, "bb_middle_20": bbm, "bb_lower_20_2": bbl, "bb_pctb_20_2": bbp, "bb_width_20_2": bbw,
    "kc_upper_20_2": [m + 2 * a for m, a in zip(e20, atr20)], "kc_middle_20": e20,
    "kc_lower_20_2": [m - 2 * a for m, a in zip(e20, atr20)],
    "dc_upper_20": hh(20), "dc_middle_20": [(a + b) / 2 for a, b in zip(hh(20), ll(20))], "dc_lower_20": ll(20),
    "vol_10": rolling(logret1, 10, sample_std, first=1), "vol_20": rolling(logret1, 20, sample_std, first=1),
    "parkinson_20": rolling(list(range(n)), 20, lambda js: math.sqrt(sum(math.log(H[j] / L[j]) ** 2 for j in js) / (4 * 20 * math.log(2)))),
    "garman_klass_20": rolling(list(range(n)), 20, lambda js: math.sqrt(mean([0.5 * math.log(H[j] / L[j]) ** 2 - (2 * math.log(2) - 1) * math.log(C[j] / O[j]) ** 2 for j in js]))),
    "yang_zhang_20": yang_zhang(20),
    "obv": [V[0]] + [0.0] * (n - 1),
    "mfi_14": mfi(14), "cmf_20": cmf(20), "volratio_20": volratio(20), "vwapdev_20": vwapdev(20),
    "pvcorr_20": [pearson(window(C, i, 20), window(V, i, 20)) if i >= 19 else NAN for i in range(n)],
    "logret_1": logret(1), "logret_5": logret(5), "logret_20": logret(20),
    "logret_lag_1_1": logret(1, 1), "logret_lag_1_2": logret(1, 2), "logret_lag_1_3": logret(1, 3),
    "zscore_20": [NAN if math.isnan(s) else ((c - m) / s if s > 0 else 0) for c, m, s in zip(C, sma20, sd20)],
    "skew_60": skew(60), "kurt_60": kurt(60),
    "hhdist_20": ratio_minus_one(C, hh(20)), "lldist_20": ratio_minus_one(C, ll(20)),
    "hhdist_50": ratio_minus_one(C, hh(50)), "lldist_50": ratio_minus_one(C, ll(50)),
    "dow_sin": cyc(dow, math.sin), "dow_cos": cyc(dow, math.cos),
    "hour_sin": cyc(hour, math.sin), "hour_cos": cyc(hour, math.cos),
    "month_sin": cyc(month, math.sin), "month_cos": cyc(month, math.cos),
}
for i in range(1, n):
    d = C[i] - C[i - 1]
    cols["obv"][i] = cols["obv"][i - 1] + (V[i] if d > 0 else -V[i] if d < 0 else 0)

names = list(cols)
with open("test/fixtures/features/naive-goldens.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for i in range(n):
        f.write(",".join("" if math.isnan(cols[k][i]) else repr(cols[k][i]) for k in names) + "\n")
print(f"wrote {n} rows x {len(names)} columns")
