#!/usr/bin/python3
"""Optuna 3.1 side of bench/optimize.ts.

    /usr/bin/python3 bench/optimize-optuna.py overhead SPACE.json N_TRIALS SEED [multivariate]
    /usr/bin/python3 bench/optimize-optuna.py quality FUNCTION N_TRIALS SEEDS
    /usr/bin/python3 bench/optimize-optuna.py compare < {"pulse": [...], "optuna": [...]}

overhead: SPACE.json is pulse's space (kind/low/high/log/step or choices); the objective is a cheap sum over the
  normalised parameters, so the time is the sampler's plus the in-memory study's bookkeeping. Prints one JSON line
  {"seconds": s}, timed with time.perf_counter around study.optimize only (imports and study creation excluded).
quality: TPESampler(seed=s) for s in 1..SEEDS on FUNCTION (branin, hartmann6, rosenbrock5, ackley5, mixed; the same
  definitions as src/optimize/test-functions.ts); prints {"best": [best value per seed]}.
compare: whether pulse's best values are worse than Optuna's beyond chance: SciPy's one-sided Mann-Whitney U test
  (alternative: pulse's values tend to be larger) and the two-sample KS test; prints {"mannWhitneyP": p, "ksP": p}.
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


def overhead(space_path, n_trials, seed, multivariate):
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
            x = math.log(v) if d.log else float(v)
            lo = math.log(d.low) if d.log else d.low
            hi = math.log(d.high) if d.log else d.high
            total += ((x - lo) / (hi - lo) - 0.3) ** 2
        return total

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, multivariate=multivariate))
    start = time.perf_counter()
    study.optimize(objective, n_trials=n_trials)
    return {"seconds": time.perf_counter() - start}


def branin(x1, x2):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    return -sum(H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2 for i in range(len(x) - 1))


def ackley(x):
    d = len(x)
    return -20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / d)) - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / d) + 20 + math.e


def box_objective(f, bounds):
    def objective(trial):
        return f([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])
    return objective


FUNCTIONS = {
    "branin": box_objective(lambda x: branin(x[0], x[1]), [(-5, 10), (0, 15)]),
    "hartmann6": box_objective(hartmann6, [(0, 1)] * 6),
    "rosenbrock5": box_objective(rosenbrock, [(-5, 10)] * 5),
    "ackley5": box_objective(ackley, [(-32.768, 32.768)] * 5),
    "mixed": lambda t: branin(t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)) + {"a": 0, "b": 1, "c": 3}[t.suggest_categorical("c", ["a", "b", "c"])],
}


def quality(name, n_trials, seeds):
    best = []
    for seed in range(1, seeds + 1):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(FUNCTIONS[name], n_trials=n_trials)
        best.append(study.best_value)
    return {"best": best}


def compare(doc):
    from scipy import stats
    return {
        "mannWhitneyP": float(stats.mannwhitneyu(doc["pulse"], doc["optuna"], alternative="greater").pvalue),
        "ksP": float(stats.ks_2samp(doc["pulse"], doc["optuna"]).pvalue),
    }


if sys.argv[1] == "compare":
    print(json.dumps(compare(json.load(sys.stdin))))
elif sys.argv[1] == "overhead":
    print(json.dumps(overhead(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), len(sys.argv) > 5 and sys.argv[5] == "multivariate")))
else:
    print(json.dumps(quality(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
