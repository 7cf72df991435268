#!/usr/bin/python3
"""Native XGBoost on a row subset of a shared benchmark matrix (see ../shared/bench/README.md), with the shared
settings of ../shared/bench/gbdt-native.py (hist, lossguide, 63 leaves, eta 0.1, max_bin 255, 200 rounds, 2 threads,
min_child_weight 1e-3, lambda 0). MASK is a file of one byte per training row (1 = train on it) written by
bench/gbdt-accuracy.ts, so pulse and XGBoost train on exactly the same rows.

Usage: gbdt-native-subset.py DIR MASK [ENGINE]   (ENGINE: xgb2 (default) or hgbt)
Prints one JSON line: {"engine", "rows_used", "train_s", "rmse"}."""
import sys, json, time
import numpy as np

d, mask_path = sys.argv[1], sys.argv[2]
engine = sys.argv[3] if len(sys.argv) > 3 else "xgb2"
m = json.load(open(f"{d}/meta.json"))
n, f, tr = m["rows"], m["cols"], m["train_rows"]
X = np.fromfile(f"{d}/X.f32", dtype=np.float32).reshape(n, f)
y = np.fromfile(f"{d}/y.f32", dtype=np.float32)
keep = np.fromfile(mask_path, dtype=np.uint8).astype(bool)
assert keep.shape[0] == tr, f"mask has {keep.shape[0]} rows, expected {tr}"
Xtr, ytr, Xte, yte = X[:tr][keep], y[:tr][keep], X[tr:], y[tr:]
t = time.perf_counter()
if engine == "xgb2":
    import xgboost as xgb
    b = xgb.train({"tree_method": "hist", "grow_policy": "lossguide", "max_leaves": 63, "max_depth": 0, "eta": 0.1,
                   "max_bin": 255, "nthread": 2, "min_child_weight": 1e-3, "lambda": 0}, xgb.DMatrix(Xtr, label=ytr, nthread=2), 200)
    tt = time.perf_counter() - t
    p = b.predict(xgb.DMatrix(Xte, nthread=2))
elif engine == "hgbt":
    from sklearn.ensemble import HistGradientBoostingRegressor
    h = HistGradientBoostingRegressor(max_iter=200, max_leaf_nodes=63, learning_rate=0.1, early_stopping=False,
                                      min_samples_leaf=20, l2_regularization=0.0, max_bins=255, random_state=0).fit(Xtr, ytr)
    tt = time.perf_counter() - t
    p = h.predict(Xte)
else:
    sys.exit(f"unknown engine {engine}: use xgb2 or hgbt")
print(json.dumps({"engine": engine, "rows_used": int(keep.sum()), "train_s": round(tt, 3),
                  "rmse": round(float(np.sqrt(np.mean((p - yte) ** 2))), 5)}), flush=True)
