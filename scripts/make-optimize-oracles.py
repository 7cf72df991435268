"""Oracle fixtures for pulse's optimize module, computed with Optuna 3.1 (Debian python3-optuna).

Run: /usr/bin/python3 scripts/make-optimize-oracles.py   (writes test/fixtures/optimize/*.json)

- tpe.json: Optuna's truncated-normal helpers on a grid of points; `_split_observation_pairs`; NumPy's argsort
  with ties; the Parzen
  estimator's weights, mus, sigmas and categorical weights, its samples for a seeded RandomState and their log-pdf;
  and whole TPESampler trials (independent and multivariate) for studies with recorded trials, together with the
  RandomState(seed) uniform stream the sampler consumed, so pulse can replay the same draws.
- pruners.json: MedianPruner and HyperbandPruner decisions on recorded intermediate values.
- fanova.json: FanovaImportanceEvaluator importances (forest seeds 0-4) on recorded trials.
- seeded.json: NumPy's RandomState(seed) outputs (random_sample, uniform, randint, also past the first state
  refresh), and whole seeded studies (TPESampler(seed) and RandomSampler(seed), 30 trials each) with the parameters
  and values of every trial, which pulse's seeded studies must reproduce.
"""
import json
import math
import os
import warnings

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe import _truncnorm as tn
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import _split_observation_pairs, default_weights
from optuna.trial import TrialState, create_trial

assert optuna.__version__.startswith("3.1"), optuna.__version__
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "optimize")


def to_pulse(d):
    if isinstance(d, CategoricalDistribution):
        return {"kind": "categorical", "choices": list(d.choices)}
    if isinstance(d, IntDistribution):
        return {"kind": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    return {"kind": "float", "low": d.low, "high": d.high, "log": d.log, "step": d.step}


MIXED = {
    "x": FloatDistribution(-5.0, 10.0),
    "lr": FloatDistribution(1e-4, 1.0, log=True),
    "k": IntDistribution(1, 10),
    "leaves": IntDistribution(2, 256, log=True),
    "frac": FloatDistribution(0.1, 1.0, step=0.1),
    "bs": IntDistribution(16, 256, step=16),
    "c": CategoricalDistribution(["a", "b", "c"]),
}
CAT_ONLY = {"c": CategoricalDistribution(["red", "green", "blue", "black"])}


def random_params(rng, space):
    out = {}
    for name, d in space.items():
        if isinstance(d, CategoricalDistribution):
            out[name] = d.choices[rng.randint(len(d.choices))]
        elif isinstance(d, IntDistribution):
            if d.log:
                out[name] = int(np.clip(round(math.exp(rng.uniform(math.log(d.low), math.log(d.high)))), d.low, d.high))
            else:
                out[name] = int(d.low + d.step * rng.randint((d.high - d.low) // d.step + 1))
        elif d.log:
            out[name] = float(math.exp(rng.uniform(math.log(d.low), math.log(d.high))))
        elif d.step is not None:
            out[name] = float(round(d.low + d.step * rng.randint(int(round((d.high - d.low) / d.step)) + 1), 10))
        else:
            out[name] = float(rng.uniform(d.low, d.high))
    return out


def objective_value(p):
    v = 0.0
    for name, x in p.items():
        if isinstance(x, str):
            v += {"a": 0.0, "b": 1.0, "c": 2.0, "red": 0.5, "green": 0.0, "blue": 1.5, "black": 3.0}[x]
        else:
            v += (math.log(x) if name in ("lr", "leaves") else x) ** 2 * 0.1
    return v


def make_trials(seed, space, n, n_pruned):
    rng = np.random.RandomState(seed)
    trials = []
    for i in range(n):
        p = random_params(rng, space)
        v = objective_value(p)
        if i % max(1, n // max(n_pruned, 1)) == 1 and sum(t["state"] == "pruned" for t in trials) < n_pruned:
            steps = int(rng.randint(0, 4))
            inter = [[s, v + float(rng.uniform(0, 2)) * (3 - s)] for s in range(steps)]
            trials.append({"params": p, "state": "pruned", "value": None, "intermediate": inter})
        else:
            inter = [[s, v + (3 - s) * 0.5] for s in range(3)]
            trials.append({"params": p, "state": "complete", "value": v, "intermediate": inter})
    return trials


def frozen(t, space):
    return create_trial(
        params=t["params"],
        distributions=space,
        value=t["value"],
        state=TrialState.COMPLETE if t["state"] == "complete" else TrialState.PRUNED,
        intermediate_values={s: v for s, v in t["intermediate"]},
    )


def truncnorm_cases():
    pts = [-30.0, -21.0, -19.5, -8.0, -3.0, -1.0, -0.5, -0.1, 0.0, 0.3, 0.9, 1.5, 2.5, 5.0, 6.5, 9.0]
    log_ndtr = [[a, float(tn._log_ndtr(np.asarray([a]))[0])] for a in pts]
    intervals = [(-3.0, -1.0), (-1.0, 2.0), (0.5, 4.0), (-25.0, -21.0), (-0.2, 0.1), (1.0, 1.5), (-8.0, 8.0), (3.0, 30.0)]
    mass = [[a, b, float(tn._log_gauss_mass(np.asarray([a]), np.asarray([b]))[0])] for a, b in intervals]
    ppf = []
    for a, b in intervals:
        for q in [0.0, 1e-9, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0]:
            ppf.append([q, a, b, float(tn.ppf(np.asarray([q]), a, b)[0])])
    logpdf = []
    for a, b in intervals:
        for x in [a, (a + b) / 2, b, b + 0.1]:
            v = float(tn.logpdf(np.asarray([x]), a, b)[0])
            logpdf.append([x, a, b, None if math.isinf(v) else v])
    return {"logNdtr": log_ndtr, "logGaussMass": mass, "ppf": ppf, "logPdf": logpdf}


def split_cases():
    cases = []
    rng = np.random.RandomState(7)
    for n in [5, 17, 40]:
        scores = []
        for i in range(n):
            r = rng.randint(4)
            if r == 0:
                scores.append((1.0, 0.0))
            elif r == 1:
                scores.append((-float(rng.randint(1, 4)), float(rng.randint(0, 5))))
            else:
                scores.append((-float("inf"), float(rng.randint(0, 8))))
        n_below = min(int(math.ceil(0.1 * n)), 25)
        below, above = _split_observation_pairs([(s, [v]) for s, v in scores], n_below, None)
        cases.append({"scores": [[("-inf" if math.isinf(s) else s), v] for s, v in scores], "nBelow": n_below,
                      "below": below.tolist(), "above": above.tolist()})
    return cases


def argsort_cases():
    """NumPy's default (unstable) argsort on arrays with many ties: Parzen bandwidths are assigned through it."""
    rng = np.random.RandomState(3)
    cases = []
    for n in [5, 16, 17, 20, 30, 41, 64, 100, 300]:
        for _ in range(3):
            v = rng.randint(0, 6, size=n).astype(float) * 16
            cases.append({"values": v.tolist(), "order": np.argsort(v).tolist()})
    return cases


def parzen_cases():
    cases = []
    for label, space, n_obs, multivariate, prior, endpoints in [
        ("mixed-12", MIXED, 12, False, True, False),
        ("mixed-40-ramp-ties", MIXED, 40, False, True, False),
        ("mixed-40-multivariate", MIXED, 40, True, True, False),
        ("mixed-6-no-prior-endpoints", MIXED, 6, False, False, True),
        ("mixed-0", MIXED, 0, False, True, False),
        ("categorical-only-9", CAT_ONLY, 9, False, True, False),
    ]:
        rng = np.random.RandomState(n_obs + 11)
        rows = [random_params(rng, space) for _ in range(n_obs)]
        obs = {k: np.asarray([d.to_internal_repr(r[k]) for r in rows], dtype=float) for k, d in space.items()}
        params = _ParzenEstimatorParameters(prior, 1.0, True, endpoints, default_weights, multivariate)
        pe = _ParzenEstimator(obs, space, params)
        seed = 1000 + n_obs
        samples = pe.sample(np.random.RandomState(seed), 24)
        log_pdf = pe.log_pdf(samples)
        kern = {}
        for k, d in space.items():
            if isinstance(d, CategoricalDistribution):
                kern[k] = {"probabilities": pe._categorical_weights[k].tolist()}
            else:
                kern[k] = {"low": pe._low[k], "high": pe._high[k], "q": pe._q[k], "mus": pe._mus[k].tolist(), "sigmas": pe._sigmas[k].tolist()}
        cases.append({
            "label": label, "space": {k: to_pulse(d) for k, d in space.items()},
            "observations": {k: v.tolist() for k, v in obs.items()},
            "parameters": {"considerPrior": prior, "priorWeight": 1.0, "considerMagicClip": True, "considerEndpoints": endpoints, "multivariate": multivariate},
            "weights": pe._weights.tolist(), "kernels": kern,
            "uniforms": np.random.RandomState(seed).random_sample(24 * (1 + len(space))).tolist(),
            "samples": {k: v.tolist() for k, v in samples.items()}, "logPdf": log_pdf.tolist(),
        })
    return cases


def sampler_cases():
    cases = []
    for label, space, n, n_pruned, direction, multivariate, seed in [
        ("independent-12", MIXED, 12, 2, "minimize", False, 1),
        ("independent-30-maximize", MIXED, 30, 5, "maximize", False, 2),
        ("independent-60", MIXED, 60, 8, "minimize", False, 3),
        ("multivariate-30", MIXED, 30, 4, "minimize", True, 4),
        ("categorical-only-15", CAT_ONLY, 15, 2, "minimize", False, 5),
    ]:
        trials = make_trials(seed * 17, space, n, n_pruned)
        study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=seed, multivariate=multivariate))
        for t in trials:
            study.add_trial(frozen(t, space))
        trial = study.ask(fixed_distributions=space)
        cases.append({
            "label": label, "direction": direction, "multivariate": multivariate, "seed": seed,
            "space": {k: to_pulse(d) for k, d in space.items()}, "trials": trials,
            "uniforms": np.random.RandomState(seed).random_sample(48 * len(space)).tolist(),
            "params": trial.params,
        })
    return cases


def pruner_cases():
    """Trials that report a value per step and stop when the pruner says so, run sequentially by Optuna."""
    cases = []
    specs = [
        ("median-default", "median", {}, "minimize", 30, 0, 10, False),
        ("median-maximize-warmup-interval", "median", {"n_startup_trials": 3, "n_warmup_steps": 2, "interval_steps": 3, "n_min_trials": 2}, "maximize", 30, 0, 12, False),
        ("median-nan", "median", {}, "minimize", 25, 0, 6, True),
        ("hyperband-auto", "hyperband", {}, "minimize", 60, 1, 27, False),
        ("hyperband-max9-eta2-maximize", "hyperband", {"max_resource": 9, "reduction_factor": 2}, "maximize", 50, 1, 9, False),
        ("hyperband-bootstrap", "hyperband", {"min_resource": 1, "max_resource": 27, "bootstrap_count": 2}, "minimize", 50, 1, 27, False),
    ]
    for label, kind, kwargs, direction, n_trials, first_step, n_steps, with_nan in specs:
        rng = np.random.RandomState(len(label) * 31 + n_trials)
        table = []
        for i in range(n_trials):
            q = rng.uniform(0, 1)
            row = []
            for k in range(n_steps):
                v = q + 2.0 / (k + 1) + rng.normal(0, 0.05)
                if direction == "maximize":
                    v = -v
                if with_nan and rng.uniform() < 0.15:
                    v = float("nan")
                row.append(v)
            table.append(row)
        pruner = optuna.pruners.MedianPruner(**kwargs) if kind == "median" else optuna.pruners.HyperbandPruner(**kwargs)
        study = optuna.create_study(study_name=label, direction=direction, pruner=pruner)

        def objective(trial, table=table, first_step=first_step):
            row = table[trial.number]
            for k, v in enumerate(row):
                trial.report(v, first_step + k)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return row[-1] if not math.isnan(row[-1]) else 0.0

        study.optimize(objective, n_trials=n_trials)
        outcome = [{"state": t.state.name.lower(), "lastStep": t.last_step} for t in study.trials]
        cases.append({
            "label": label, "pruner": kind, "options": kwargs, "direction": direction, "firstStep": first_step,
            "values": [[None if math.isnan(v) else v for v in row] for row in table], "outcome": outcome,
        })
    return cases


def fanova_cases():
    """Optuna's fANOVA importances (5 forest seeds) on recorded trials of functions with known importance."""
    rng = np.random.RandomState(99)
    cases = []
    specs = [
        ("linear-10x-plus-y", {"x": FloatDistribution(0, 1), "y": FloatDistribution(0, 1), "z": FloatDistribution(0, 1)},
         lambda p: 10 * p["x"] + p["y"], 200),
        ("mixed-log-int-categorical", {"lr": FloatDistribution(1e-4, 1, log=True), "leaves": IntDistribution(2, 256),
                                       "c": CategoricalDistribution(["a", "b", "c"])},
         lambda p: (math.log10(p["lr"]) + 2) ** 2 + 3.0 * (p["c"] == "b") + 0.001 * p["leaves"], 150),
        ("branin-plus-noise-param", {"x1": FloatDistribution(-5, 10), "x2": FloatDistribution(0, 15), "noise": FloatDistribution(0, 1)},
         lambda p: (p["x2"] - 5.1 / (4 * math.pi ** 2) * p["x1"] ** 2 + 5 / math.pi * p["x1"] - 6) ** 2
         + 10 * (1 - 1 / (8 * math.pi)) * math.cos(p["x1"]) + 10, 120),
    ]
    for label, space, f, n in specs:
        trials = []
        for _ in range(n):
            p = random_params(rng, space)
            trials.append({"params": p, "state": "complete", "value": f(p), "intermediate": []})
        study = optuna.create_study()
        for t in trials:
            study.add_trial(frozen(t, space))
        runs = []
        for seed in range(5):
            imp = optuna.importance.get_param_importances(study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=seed))
            runs.append({k: float(v) for k, v in imp.items()})
        cases.append({"label": label, "space": {k: to_pulse(d) for k, d in space.items()}, "trials": trials, "optuna": runs})
    return cases


def numpy_cases():
    cases = []
    for seed in [0, 1, 42, 12345, 2**32 - 1]:
        rs = np.random.RandomState(seed)
        first = rs.random_sample(5).tolist()
        rs.random_sample(700)  # past the first refresh of the 624-word state
        later = rs.random_sample(3).tolist()
        uniform = [float(rs.uniform(low, high)) for low, high in [(-5.0, 10.0), (0.0, 1.0), (math.log(1e-4), 0.0)]]
        randint = [[high, [int(rs.randint(0, high)) for _ in range(6)]] for high in [1, 2, 3, 7, 10, 1000, 2**31 + 1, 2**32]]
        after = rs.random_sample(2).tolist()
        cases.append({"seed": seed, "first": first, "later": later, "uniform": uniform, "randint": randint, "after": after})
    return cases


def seeded_branin(x1, x2):
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def seeded_rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2 for i in range(len(x) - 1))


def seeded_typed(p):
    return ((p["x"] - 2) ** 2 + (math.log(p["lr"]) + 4) ** 2 + (p["k"] - 7) ** 2 / 10 + (math.log(p["leaves"]) - 3) ** 2
            + 10 * (p["frac"] - 0.6) ** 2 + ((p["bs"] - 128) / 64) ** 2)


SEEDED_PROBLEMS = {
    "branin": ({"x0": FloatDistribution(-5.0, 10.0), "x1": FloatDistribution(0.0, 15.0)}, lambda p: seeded_branin(p["x0"], p["x1"])),
    "rosenbrock5": ({f"x{i}": FloatDistribution(-5.0, 10.0) for i in range(5)}, lambda p: seeded_rosenbrock([p[f"x{i}"] for i in range(5)])),
    "typed": ({k: d for k, d in MIXED.items() if k != "c"}, seeded_typed),
    "mixed": ({"x1": FloatDistribution(-5.0, 10.0), "x2": FloatDistribution(0.0, 15.0), "c": CategoricalDistribution(["a", "b", "c"])},
              lambda p: seeded_branin(p["x1"], p["x2"]) + {"a": 0, "b": 1, "c": 3}[p["c"]]),
    "typed-categorical": (MIXED, lambda p: seeded_typed(p) + {"a": 0, "b": 1, "c": 3}[p["c"]]),
}
SEEDED_STUDIES = [
    ("tpe", "branin", [1, 2, 3], False),
    ("tpe", "rosenbrock5", [1, 2], False),
    ("tpe", "typed", [1, 7], False),
    ("tpe", "branin", [5], True),
    ("tpe", "mixed", [1, 2, 3], False),
    ("random", "typed-categorical", [4], False),
]


def seeded_studies(n_trials=30):
    cases = []
    for sampler_name, problem, seeds, multivariate in SEEDED_STUDIES:
        space, f = SEEDED_PROBLEMS[problem]
        for seed in seeds:
            if sampler_name == "tpe":
                sampler = optuna.samplers.TPESampler(seed=seed, multivariate=multivariate)
            else:
                sampler = optuna.samplers.RandomSampler(seed=seed)
            study = optuna.create_study(sampler=sampler)

            def objective(trial, space=space, f=f):
                return f({name: trial._suggest(name, d) for name, d in space.items()})

            study.optimize(objective, n_trials=n_trials)
            cases.append({
                "sampler": sampler_name, "problem": problem, "seed": seed, "multivariate": multivariate,
                "space": {k: to_pulse(d) for k, d in space.items()},
                "trials": [{"params": t.params, "value": t.value} for t in study.trials],
            })
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    doc = {"optuna": optuna.__version__, "truncnorm": truncnorm_cases(), "split": split_cases(), "argsort": argsort_cases(),
           "parzen": parzen_cases(), "sampler": sampler_cases()}
    with open(os.path.join(OUT, "tpe.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    with open(os.path.join(OUT, "pruners.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "cases": pruner_cases()}, f, separators=(",", ":"))
    with open(os.path.join(OUT, "fanova.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "cases": fanova_cases()}, f, separators=(",", ":"))
    with open(os.path.join(OUT, "seeded.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "numpy": np.__version__, "randomState": numpy_cases(), "studies": seeded_studies()}, f,
                  separators=(",", ":"))
    print("wrote tpe.json, pruners.json, fanova.json, seeded.json")


if __name__ == "__main__":
    main()
