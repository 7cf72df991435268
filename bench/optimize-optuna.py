#!/usr/bin/python3
"""Optuna 3.1 side of bench/optimize.ts: sampler overhead per trial on the same space and objective.

    /usr/bin/python3 bench/optimize-optuna.py SPACE.json N_TRIALS SEED [multivariate]

SPACE.json is pulse's space (kind/low/high/log/step or choices). The objective is a cheap sum over the parameters,
so the time is the sampler's plus the in-memory study's bookkeeping. Prints one JSON line {"seconds": s, "best": v},
timed with time.perf_counter around study.optimize only (imports and study creation excluded).
"""
import json
import math
import sys
import time
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
space_path, n_trials, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
multivariate = len(sys.argv) > 4 and sys.argv[4] == "multivariate"
raw = json.load(open(space_path))
space = {}
for name, d in raw.items():
    if d["kind"] == "categorical":
        space[name] = CategoricalDistribution(d["choices"])
    elif d["kind"] == "int":
        space[name] = IntDistribution(d["low"], d["high"], log=d["log"], step=d["step"])
    else:
        space[name] = FloatDistribution(d["low"], d["high"], log=d["log"], step=d["step"])


def objective(trial):
    total = 0.0
    for name, d in space.items():
        v = trial._suggest(name, d)
        x = math.log(v) if getattr(d, "log", False) else float(v)
        lo = math.log(d.low) if d.log else d.low
        hi = math.log(d.high) if d.log else d.high
        total += ((x - lo) / (hi - lo) - 0.3) ** 2
    return total


study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, multivariate=multivariate))
start = time.perf_counter()
study.optimize(objective, n_trials=n_trials)
print(json.dumps({"seconds": time.perf_counter() - start, "best": study.best_value}))
