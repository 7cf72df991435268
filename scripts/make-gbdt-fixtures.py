#!/usr/bin/python3
"""Generate pulse's committed XGBoost fixtures and their oracles with Debian's python3-xgboost (1.7.x).

Run from the repository root:  /usr/bin/python3 scripts/make-gbdt-fixtures.py
For each case it writes test/fixtures/gbdt/<name>.model.json (Booster.save_model) and <name>.oracle.json with the
input rows (null = missing), XGBoost's transformed predictions, raw margins and pred_contribs (TreeSHAP). The data
are small, seeded and synthetic, so the fixtures are reproducible and carry no third-party content.
"""
import json
import os

import numpy as np
import xgboost as xgb

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'gbdt')
TRAIN_ROWS = 400
TEST_ROWS = 40


def make_data(rng, rows, cols, nan_rate, categorical=()):
    X = rng.normal(size=(rows, cols))
    for c in categorical:
        X[:, c] = rng.integers(0, 6, size=rows)
    mask = rng.random(size=(rows, cols)) < nan_rate
    X[mask] = np.nan
    return X


def signal(X):
    x = np.nan_to_num(X, nan=0.3)
    return np.sin(x[:, 0]) * 2 + x[:, 1] * x[:, 2] + (x[:, 3] > 0.5) + 0.5 * x[:, 4] ** 2


def to_list(a):
    return [None if np.isnan(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def emit(name, booster, X_test, feature_types=None):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + '.model.json')
    booster.save_model(path)
    d = xgb.DMatrix(X_test, missing=np.nan, feature_types=feature_types, enable_categorical=feature_types is not None)
    oracle = {
        'xgboost': xgb.__version__,
        'rows': int(X_test.shape[0]),
        'cols': int(X_test.shape[1]),
        'X': to_list(X_test),
        'predictions': [float(v) for v in np.asarray(booster.predict(d), dtype=np.float64).ravel()],
        'margins': [float(v) for v in np.asarray(booster.predict(d, output_margin=True), dtype=np.float64).ravel()],
        'contribs': [float(v) for v in np.asarray(booster.predict(d, pred_contribs=True), dtype=np.float64).ravel()],
    }
    with open(os.path.join(OUT, name + '.oracle.json'), 'w') as f:
        json.dump(oracle, f, separators=(',', ':'))
        f.write('\n')
    print(name, os.path.getsize(path), 'bytes')


def train(params, X, y, rounds, feature_types=None):
    d = xgb.DMatrix(X, label=y, missing=np.nan, feature_types=feature_types, enable_categorical=feature_types is not None)
    return xgb.train(params, d, num_boost_round=rounds)


def main():
    rng = np.random.default_rng(20240611)
    cols = 6
    X = make_data(rng, TRAIN_ROWS + TEST_ROWS, cols, 0.08)
    y = signal(X) + rng.normal(scale=0.3, size=X.shape[0])
    Xtr, Xte, ytr = X[:TRAIN_ROWS], X[TRAIN_ROWS:], y[:TRAIN_ROWS]
    base = {'max_depth': 4, 'eta': 0.3, 'seed': 7, 'tree_method': 'hist', 'nthread': 1}

    emit('xgb-regression', train({**base, 'objective': 'reg:squarederror'}, Xtr, ytr, 12), Xte)
    ybin = (ytr > np.median(ytr)).astype(float)
    emit('xgb-binary', train({**base, 'objective': 'binary:logistic'}, Xtr, ybin, 12), Xte)
    ycls = np.digitize(ytr, np.quantile(ytr, [0.33, 0.66]))
    emit('xgb-softprob', train({**base, 'objective': 'multi:softprob', 'num_class': 3}, Xtr, ycls, 6), Xte)
    emit('xgb-softmax', train({**base, 'objective': 'multi:softmax', 'num_class': 3}, Xtr, ycls, 6), Xte)
    ycount = rng.poisson(np.exp(np.clip(ytr / 3, -2, 2)))
    emit('xgb-poisson', train({**base, 'objective': 'count:poisson'}, Xtr, ycount, 10), Xte)
    dart = {**base, 'booster': 'dart', 'rate_drop': 0.3, 'skip_drop': 0.0, 'objective': 'reg:squarederror'}
    emit('xgb-dart', train(dart, Xtr, ytr, 10), Xte)

    ft = ['q', 'c', 'q', 'q', 'c', 'q']
    Xc = make_data(rng, TRAIN_ROWS + TEST_ROWS, cols, 0.08, categorical=(1, 4))
    yc = signal(Xc) + np.where(np.nan_to_num(Xc[:, 1], nan=9) % 2 == 0, 1.5, -1.0) + rng.normal(scale=0.3, size=Xc.shape[0])
    cat = {**base, 'objective': 'reg:squarederror', 'max_cat_to_onehot': 1}
    emit('xgb-categorical', train(cat, Xc[:TRAIN_ROWS], yc[:TRAIN_ROWS], 12, ft), Xc[TRAIN_ROWS:], ft)

    # Boosted random forests: several parallel trees per class and iteration.
    forest = {**base, 'objective': 'multi:softprob', 'num_class': 3, 'num_parallel_tree': 3, 'subsample': 0.7,
              'colsample_bynode': 0.7}
    emit('xgb-forest', train(forest, Xtr, ycls, 3), Xte)
    ygamma = np.exp(np.clip(ytr / 4, -2, 2)) * rng.gamma(2.0, 0.5, size=ytr.shape[0])
    emit('xgb-gamma', train({**base, 'objective': 'reg:gamma'}, Xtr, ygamma, 8), Xte)


if __name__ == '__main__':
    main()
