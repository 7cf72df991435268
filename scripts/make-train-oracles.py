#!/usr/bin/python3
"""Record scikit-learn / SciPy reference values for pulse's training metrics and linear models.

Writes test/fixtures/train/oracles.json: deterministic inputs (numpy RandomState) and the values scikit-learn
1.2 / SciPy 1.10 compute for them. test/evaluation/metric/metrics.test.ts, test/evaluation/reports.test.ts and
test/models/linear.test.ts compare pulse against these numbers. Rerun with Debian's Python:  /usr/bin/python3 scripts/make-train-oracles.py
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy.stats import spearmanr
from sklearn.calibration import calibration_curve
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, brier_score_loss, log_loss, mean_absolute_error, mean_squared_error,
                             r2_score, roc_auc_score)
from sklearn.preprocessing import StandardScaler

rs = np.random.RandomState(20261122)
out = {"generator": "scripts/make-train-oracles.py", "sklearn": sklearn.__version__, "scipy": scipy.__version__}


def lst(a):
    return [float(v) for v in np.asarray(a).ravel()]


# regression metrics, with ties in both inputs (rounded values) and some zero returns
n = 300
y = np.round(rs.standard_t(4, n) * 0.01, 3)
pred = np.round(0.3 * y + rs.normal(0, 0.01, n), 3)
pred[:10] = 0.0
nz = y != 0
hits = np.where(pred[nz] == 0, 0.5, (np.sign(pred[nz]) == np.sign(y[nz])).astype(float))
out["regression"] = {
    "y": lst(y), "pred": lst(pred),
    "rmse": float(np.sqrt(mean_squared_error(y, pred))), "mae": float(mean_absolute_error(y, pred)),
    "r2": float(r2_score(y, pred)), "ic": float(spearmanr(y, pred).correlation),
    "directionalAccuracy": float(hits.mean()),
}

# binary classification, probabilities with ties (rounded to 2 decimals) and bin-edge values
yb = rs.randint(0, 2, 400)
pb = np.clip(np.round(0.5 + 0.25 * (yb - 0.5) + rs.normal(0, 0.2, 400), 2), 0.0, 1.0)
pb[:5] = [0.1, 0.2, 0.3, 0.5, 1.0]
prob_true, prob_pred = calibration_curve(yb, pb, n_bins=10, strategy="uniform")
bins = np.searchsorted(np.linspace(0, 1, 11)[1:-1], pb)
out["binary"] = {
    "y": lst(yb), "prob": lst(pb),
    "logLoss": float(log_loss(yb, pb)), "auc": float(roc_auc_score(yb, pb)),
    "accuracy": float(accuracy_score(yb, (pb > 0.5).astype(int))), "brier": float(brier_score_loss(yb, pb)),
    "reliability": {"observedFrequency": lst(prob_true), "meanPredicted": lst(prob_pred),
                    "count": lst(np.bincount(bins, minlength=10))},
}

# multiclass (3 classes)
ym = rs.randint(0, 3, 300)
logits = rs.normal(0, 1, (300, 3))
logits[np.arange(300), ym] += 0.8
pm = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
onehot = np.eye(3)[ym]
out["multiclass"] = {
    "y": lst(ym), "prob": lst(pm),
    "logLoss": float(log_loss(ym, pm)), "auc": float(roc_auc_score(ym, pm, multi_class="ovr", average="macro")),
    "accuracy": float(accuracy_score(ym, pm.argmax(axis=1))), "brier": float(((pm - onehot) ** 2).sum(axis=1).mean()),
}

# linear models: median imputation, standardisation, L2 penalty alpha (Ridge alpha, LogisticRegression C = 1/alpha)
n, p = 250, 5
X = rs.normal(0, 1, (n, p)) * np.array([1, 2, 0.5, 3, 1]) + np.array([0, 1, -2, 5, 0])
X[rs.rand(n, p) < 0.05] = np.nan
Xi = SimpleImputer(strategy="median").fit_transform(X)
Z = StandardScaler().fit_transform(Xi)
w = np.array([0.5, -0.3, 0.0, 0.2, 0.1])
yr = Z @ w + rs.normal(0, 1, n)
ridge_alpha = 25.0
ridge = Ridge(alpha=ridge_alpha).fit(Z, yr)
logistic_alpha = 2.5
zb = Z @ w
ybin = (rs.rand(n) < 1 / (1 + np.exp(-zb))).astype(int)
logit = LogisticRegression(C=1 / logistic_alpha, tol=1e-12, max_iter=100000, solver="newton-cg").fit(Z, ybin)
ymc = np.digitize(zb + rs.normal(0, 0.7, n), [-0.4, 0.4])
multi = LogisticRegression(C=1 / logistic_alpha, tol=1e-12, max_iter=100000, solver="newton-cg", multi_class="multinomial").fit(Z, ymc)
out["linear"] = {
    "X": [[None if np.isnan(v) else float(v) for v in row] for row in X],
    "yRegression": lst(yr), "ridgeAlpha": ridge_alpha, "ridgePred": lst(ridge.predict(Z)),
    "yBinary": lst(ybin), "logisticAlpha": logistic_alpha, "logisticProb": lst(logit.predict_proba(Z)[:, 1]),
    "yMulticlass": lst(ymc), "multinomialProb": lst(multi.predict_proba(Z)),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "train", "oracles.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))
