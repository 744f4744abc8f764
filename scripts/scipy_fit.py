#!/usr/bin/env python3
"""SciPy baseline for the context-aware scaling law (arXiv 2510.14919).

Mirrors docs/method.md (the parts of a law, parameter order, bounds, DE
settings; the parts, bounds and named laws are read from src/lib/law.ts) so that the WebAssembly kernel can be checked against, and timed
against, the fitting procedure the paper used: differential_evolution followed
by curve_fit.

  python3 scripts/scipy_fit.py reference --out test/reference/scipy.json [--data F] [--seed 1]
  python3 scripts/scipy_fit.py bench [--data F] [--repeat 3] [--seed 1] [--variants full,...]
  python3 scripts/scipy_fit.py bootstrap [--data F] [--resamples 50] [--global-every 25] [--seed 1]

Only numpy and scipy are used (no pandas). In `bench` mode stdout carries exactly
one JSON object (a Node script parses it); every diagnostic goes to stderr.
"""

import argparse
import json
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time

import numpy as np
import scipy

# The law and the fit live beside this file; the modes below are the command line.
from scipy_law import NAMED, PARTS, law_values, parse_law, param_names
from scipy_fitting import CF_SETTINGS, DE_SETTINGS, DataError, fit, load_data, refit_warm, sha256

# fixed-prompt data sets by `compute-only` mode (floor=given among them: k from the data set).
COMPUTE_LAWS = ["context-blind", "logistic-compute", "context-blind-fitted-floor", "logistic-compute-fitted-floor"]


def uncovered_options(laws):
    """One composition "part=option" for every option of src/lib/law.ts that none of the laws
    has (floor=given aside: the compute-only fixtures fit it), so that a new option is in the
    reference as soon as it is defined."""
    seen = {(part, option) for law in laws for part, option in parse_law(law).items()}
    return [f"{part}={option}" for part, options in PARTS.items() for option in options
            if (part, option) not in seen and (part, option) != ("floor", "given")]


# The laws of the bundled data's reference: with the compute-only fixtures they cover every
# option of every part (compute=absent as a composition: it has no name; any option none of
# these has is added as a composition of its own).
_NAMED_REFERENCE = ["full", "no-penalty", "context-blind", "additive", "soft-penalty", "decay-penalty",
                    "fixed-compute", "fixed-compute-decay", "compute=absent"]
NAMED_LAWS = _NAMED_REFERENCE + uncovered_options(_NAMED_REFERENCE + COMPUTE_LAWS)


# ---------------------------------------------------------------- modes


def generator_info(args):
    return {
        "tool": "scripts/scipy_fit.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "seed": args.seed,
        "seeds": getattr(args, "seeds", 1) if args.mode == "reference" else 1,
        "data_file": args.data,
        "data_sha256": sha256(args.data),
        "command": " ".join(shlex.quote(a) for a in ["python3", *sys.argv]),
        "differential_evolution": {k: list(v) if isinstance(v, tuple) else v
                                   for k, v in DE_SETTINGS.items()},
        "curve_fit": {**CF_SETTINGS, "jac": "analytic", "method": "trf"},
        "rows": "all rows of each task (fit and held_out)",
    }


def run_reference(args, data):
    results = {}
    for task, (X, y) in data.items():
        results[task] = {}
        for variant in NAMED_LAWS:
            # Some laws have local minima (additive, soft-penalty): one SciPy seed can stop in
            # a worse one. The reference is the best of several seeds, so the kernel is compared
            # with SciPy's best answer rather than with one seed's luck.
            seeds = list(range(args.seed, args.seed + args.seeds))
            print(f"fitting {task} / {variant} (seeds {seeds[0]}..{seeds[-1]})", file=sys.stderr)
            runs = [fit(variant, X, y, s) for s in seeds]
            best = min(range(len(runs)), key=lambda k: runs[k]["sse"])
            results[task][variant] = {**runs[best], "seed": seeds[best],
                                      "sse_per_seed": [r["sse"] for r in runs]}
    doc = {"generator": generator_info(args), "results": results}
    # Write beside the target, then rename: readers never see a half-written file.
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=out_dir, suffix=".tmp", delete=False) as fh:
        json.dump(doc, fh, indent=2, allow_nan=False)
        fh.write("\n")
    os.chmod(fh.name, 0o644)  # NamedTemporaryFile creates 0600; the reference is a normal repo file
    os.replace(fh.name, args.out)
    print(f"wrote {args.out}", file=sys.stderr)


# ---------------------------------------------------------------- fixed-prompt data

# The synthetic fixed-prompt data sets (test/fixtures/compute-only-*.csv): 60 models with C
# log-uniform in 1e19..1e25, one prompt (n_pmt < n_ctx, so no penalty), a four-option
# benchmark's chance level 0.25, and the score of 500 questions (binomial noise).
SYNTHETIC = {
    "saturating": ("context-blind", {"log10_C0": 23.0, "alpha": 0.35}),
    "logistic": ("logistic-compute", {"log10_C_mid": 22.5, "log10_width_C": 0.7}),
}
SYNTH_MODELS, SYNTH_QUESTIONS, SYNTH_FLOOR, SYNTH_N_PMT, SYNTH_N_CTX = 60, 500, 0.25, 600, 4096
# Which laws each data set's reference fits: (law, given floor or None).
COMPUTE_CASES = {
    "saturating": [("context-blind", None), ("context-blind", SYNTH_FLOOR), ("context-blind-fitted-floor", None)],
    "logistic": [("logistic-compute", SYNTH_FLOOR), ("logistic-compute-fitted-floor", None)],
}


def synthetic_path(name):
    return f"test/fixtures/compute-only-{name}.csv"


def run_synthesize(args):
    rng = np.random.default_rng(args.seed)
    for name, (law, truth) in SYNTHETIC.items():
        logc = rng.uniform(19.0, 25.0, SYNTH_MODELS)
        X = (logc, None, None, None)
        p = SYNTH_FLOOR + (1 - SYNTH_FLOOR) * law_values(law, list(truth.values()), X, jac=False)[0]
        score = rng.binomial(SYNTH_QUESTIONS, p) / SYNTH_QUESTIONS
        with open(synthetic_path(name), "w") as fh:
            fh.write("compute_flops,n_pmt,n_ctx,score,chance_floor\n")
            for lc, y in zip(logc, score):
                fh.write(f"{float(10.0 ** lc)!r},{SYNTH_N_PMT},{SYNTH_N_CTX},{float(y)!r},{SYNTH_FLOOR}\n")
        print(f"wrote {synthetic_path(name)}", file=sys.stderr)


def run_compute_only(args):
    results = {}
    for name, cases in COMPUTE_CASES.items():
        path = synthetic_path(name)
        rows = np.loadtxt(path, delimiter=",", skiprows=1)
        X = (np.log10(rows[:, 0]), np.log10(rows[:, 1]), rows[:, 1], rows[:, 2])
        y = rows[:, 3]
        results[name] = {"file": path, "sha256": sha256(path), "truth": SYNTHETIC[name][1], "fits": []}
        for variant, floor in cases:
            k = None if floor is None else np.full(len(y), floor)
            seeds = list(range(args.seed, args.seed + args.seeds))
            print(f"fitting {name} / {variant} floor={floor}", file=sys.stderr)
            runs = [fit(variant, X, y, s, k) for s in seeds]
            best = min(range(len(runs)), key=lambda j: runs[j]["sse"])
            results[name]["fits"].append({"variant": variant, "floor": floor, **runs[best], "seed": seeds[best]})
    info = generator_info(args)
    for key in ("data_file", "data_sha256", "rows"):
        info.pop(key)
    with open(args.out, "w") as fh:
        json.dump({"generator": info, "results": results}, fh, indent=2, allow_nan=False)
        fh.write("\n")
    print(f"wrote {args.out}", file=sys.stderr)


def run_bench(args, data):
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in NAMED]
    if unknown:
        raise DataError(f"unknown variant(s): {', '.join(unknown)} (choose from {', '.join(NAMED)})")
    results = {}
    for task, (X, y) in data.items():
        results[task] = {}
        for variant in variants:
            times, runs = [], []
            for k in range(args.repeat):
                t0 = time.perf_counter()
                runs.append(fit(variant, X, y, args.seed + k, vectorized=args.vectorized, popsize=args.popsize))
                times.append(time.perf_counter() - t0)
            first = runs[0]  # seed == --seed, i.e. the same fit as the reference file
            results[task][variant] = {
                "median_s": statistics.median(times),
                "min_s": min(times),
                "times_s": times,
                "sse": first["sse"],
                "nfev": first["de"]["nfev"] + (first["curve_fit"]["nfev"] or 0),
                "nfev_de": first["de"]["nfev"],
                "nfev_curve_fit": first["curve_fit"]["nfev"],
                "param_names": first["param_names"],
                "params": first["params"],
                "sse_per_repeat": [r["sse"] for r in runs],
            }
            print(f"{task} / {variant}: median {statistics.median(times):.3f} s", file=sys.stderr)
    info = generator_info(args)
    info.update(repeat=args.repeat, seeds=list(range(args.seed, args.seed + args.repeat)), vectorized=args.vectorized)
    if args.popsize is not None:
        info["differential_evolution"] = {**info["differential_evolution"], "popsize": args.popsize}
    if args.vectorized:
        info["differential_evolution"] = {**info["differential_evolution"], "updating": "deferred", "vectorized": True}
    json.dump({"generator": info, "results": results}, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")


def run_bootstrap_bench(args, data):
    """Times the bootstrap scheme of the kernel (assembly/bootstrap.ts) in SciPy: resample the
    observations with replacement, refit with curve_fit from the full fit, and every
    `--global-every`-th resample also run differential_evolution + curve_fit, keeping the better.
    Prints one JSON object: per task the seconds for `--resamples` refits and per refit."""
    variant = "full"
    rng = np.random.default_rng(args.seed)
    results = {}
    for task, (X, y) in data.items():
        full = fit(variant, X, y, args.seed)
        p0 = np.array(full["params"])
        m = len(y)
        t0 = time.perf_counter()
        params = []
        for b in range(args.resamples):
            idx = rng.integers(0, m, size=m)
            Xb = tuple(col[idx] for col in X)
            popt, sse_b = refit_warm(variant, Xb, y[idx], p0)
            if args.global_every and (b + 1) % args.global_every == 0:
                g = fit(variant, Xb, y[idx], args.seed + b)
                if g["sse"] < sse_b * (1 - 1e-9):
                    popt, sse_b = np.array(g["params"]), g["sse"]
            params.append([float(v) for v in popt])
        seconds = time.perf_counter() - t0
        q = np.percentile(np.array(params), [2.5, 97.5], axis=0)
        results[task] = {"resamples": args.resamples, "seconds": seconds, "per_refit_s": seconds / args.resamples,
                         "interval95": {n: [float(q[0][j]), float(q[1][j])] for j, n in enumerate(param_names(variant))}}
        print(f"{task}: {args.resamples} refits in {seconds:.2f} s", file=sys.stderr)
    info = generator_info(args)
    info.update(resamples=args.resamples, global_every=args.global_every)
    json.dump({"generator": info, "results": results}, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["reference", "bench", "bootstrap", "synthesize", "compute-only"])
    ap.add_argument("--data", default="data/observations.csv")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output JSON (reference mode)")
    ap.add_argument("--seeds", type=int, default=10, help="seeds tried per fit; the best is kept (reference mode)")
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions (bench mode)")
    ap.add_argument("--variants", default="full", help="comma-separated (bench mode)")
    ap.add_argument("--vectorized", action="store_true",
                    help="bench mode: differential_evolution(vectorized=True, updating='deferred') with a NumPy loss over the population")
    ap.add_argument("--popsize", type=int, default=None,
                    help="bench mode: population per parameter (default SciPy's, 15)")
    ap.add_argument("--resamples", type=int, default=50, help="bootstrap refits to time (bootstrap mode)")
    ap.add_argument("--global-every", type=int, default=25, help="every n-th refit also runs the global search (bootstrap mode)")
    args = ap.parse_args()
    if args.mode == "reference" and not args.out:
        ap.error("reference mode needs --out")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    if args.mode == "synthesize":
        return run_synthesize(args)
    if args.mode == "compute-only":
        return run_compute_only(args)
    try:
        data = load_data(args.data)
        {"reference": run_reference, "bench": run_bench, "bootstrap": run_bootstrap_bench}[args.mode](args, data)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
