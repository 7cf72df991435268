#!/usr/bin/env python3
"""Load pulse's LightGBM text exports with real LightGBM and record its predictions (see
scripts/make-lightgbm-export-fixtures.mjs). Needs the lightgbm pip package (4.x) and numpy."""
import glob
import json
import os

import lightgbm
import numpy as np

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'gbdt', 'lgb-export')
for path in sorted(glob.glob(os.path.join(DIR, '*.txt'))):
    name = os.path.basename(path)[:-4]
    booster = lightgbm.Booster(model_file=path)
    rows = json.load(open(os.path.join(DIR, name + '.rows.json')))
    X = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float64)
    raw = booster.predict(X, raw_score=True)
    pred = booster.predict(X)
    oracle = {
        'lightgbm_version': lightgbm.__version__,
        'num_trees': booster.num_trees(),
        'raw': np.asarray(raw, dtype=np.float64).ravel().tolist(),
        'predictions': np.asarray(pred, dtype=np.float64).ravel().tolist(),
    }
    with open(os.path.join(DIR, name + '.oracle.json'), 'w') as f:
        json.dump(oracle, f)
        f.write('\n')
    print(name, booster.num_trees(), 'trees')
