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
import csv
import hashlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import curve_fit, differential_evolution

LN10 = np.log(10.0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_law_parts():
    """The parts of a law (each option's parameters in the kernel's order, with their bounds) and
    the named laws, read from their one definition (src/lib/law.ts, src/lib/variants.ts) through
    scripts/law-parts.ts, so that this mirror never keeps a copy that could drift."""
    command = ["node", "--import", "tsx", "scripts/law-parts.ts"]
    try:
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        sys.exit(f"error: could not read the parts of a law from src/lib/law.ts ({' '.join(command)}): "
                 f"{detail.strip()}; run `npm ci` in {ROOT} first")
    return json.loads(out)


_LAW = load_law_parts()
# part -> option -> its parameter names, in order
PARTS = {part: {name: [p["name"] for p in o["params"]] for name, o in options.items()}
         for part, options in _LAW["parts"].items()}
# parameter -> (low, high): docs/method.md, "Bounds"
BOUNDS = {p["name"]: tuple(p["bounds"]) for options in _LAW["parts"].values()
          for o in options.values() for p in o["params"]}
PAPER_PARTS = _LAW["paperParts"]
# every named law, as its parts
NAMED = _LAW["named"]
# The parts whose options add parameters, in the order the parameters come.
PARAM_PARTS = [part for part in _LAW["partOrder"] if any(PARTS[part].values())]


def parse_law(law):
    """A name or a composition -> {part: option}; ValueError for anything else."""
    if law in NAMED:
        return {**PAPER_PARTS, **NAMED[law]}
    parts = dict(PAPER_PARTS)
    for piece in law.split(","):
        part, _, option = piece.partition("=")
        if part not in PARTS or option not in PARTS[part]:
            raise ValueError(f"unknown law {law!r}")
        parts[part] = option
    if parts["compute"] == "absent" and parts["context"] == "absent":
        raise ValueError(f"{law!r} has neither factor")
    if parts["combine"] == "mean" and "absent" in (parts["compute"], parts["context"]):
        raise ValueError(f"{law!r} averages one factor")
    return parts


def param_names(law):
    parts = parse_law(law)
    return [n for part in PARAM_PARTS for n in PARTS[part][parts[part]]]


# Laws of compute alone (docs/method.md, "Laws of compute alone"), fitted on the synthetic
# fixed-prompt data sets by `compute-only` mode (floor=given among them: k from the data set).
COMPUTE_VARIANTS = ["context-blind", "logistic-compute", "context-blind-fitted-floor", "logistic-compute-fitted-floor"]


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
VARIANTS = _NAMED_REFERENCE + uncovered_options(_NAMED_REFERENCE + COMPUTE_VARIANTS)

# DE settings from docs/method.md (SciPy's defaults, spelled out so a SciPy
# upgrade cannot silently change them). polish=False: refinement is curve_fit's job.
DE_SETTINGS = dict(strategy="best1bin", popsize=15, mutation=(0.5, 1), recombination=0.7,
                   init="latinhypercube", tol=0.01, maxiter=1000, polish=False,
                   updating="immediate")
# curve_fit is run far tighter than its defaults (1e-8) so the reference is a
# sharp optimum the kernel can be compared against; max_nfev is generous so the
# tight tolerances, not the budget, end the run.
CF_SETTINGS = dict(ftol=1e-12, xtol=1e-12, gtol=1e-12, max_nfev=100_000)

REQUIRED_COLUMNS = ["task", "n_ctx", "compute_flops", "n_pmt", "score"]


class DataError(Exception):
    """Bad input file; reported as a one-line message with exit code 2."""


# ---------------------------------------------------------------- data


def load_data(path):
    """Return {task: (X, y)} with X rows = log10 C, log10 n_pmt, n_pmt, n_ctx."""
    if not os.path.isfile(path):
        raise DataError(f"data file not found: {path}")
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{path}: missing column(s): {', '.join(missing)}")
        by_task = {}
        for line, row in enumerate(reader, start=2):  # line 1 is the header
            try:
                vals = [float(row[c]) for c in ("compute_flops", "n_pmt", "n_ctx", "score")]
            except (TypeError, ValueError):
                raise DataError(f"{path}:{line}: non-numeric value in compute_flops/n_pmt/n_ctx/score")
            if min(vals[:3]) <= 0:  # we take logs of C and n_pmt
                raise DataError(f"{path}:{line}: compute_flops, n_pmt and n_ctx must be > 0")
            by_task.setdefault(row["task"], []).append(vals)
    if not by_task:
        raise DataError(f"{path}: no data rows")
    out = {}
    for task in sorted(by_task):
        c, n, ctx, y = np.array(by_task[task]).T
        out[task] = (np.vstack([np.log10(c), np.log10(n), n, ctx]), y)
    return out


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


# ---------------------------------------------------------------- model


def saturating(logx, log_x0, power, jac=True):
    """f = 1 - exp(-(x/x0)^power) and, with jac, its derivatives w.r.t. (log_x0, power).

    (x/x0)^power is formed in log space, and 1 - exp(-u) as -expm1(-u), so it
    stays accurate when u is tiny and never overflows for the bounded parameters.
    """
    u = np.exp(LN10 * power * (logx - log_x0))
    f = -np.expm1(-u)
    if not jac:
        return f, []
    g = np.exp(-u) * u  # df/d(ln u)
    return f, [-LN10 * power * g, LN10 * (logx - log_x0) * g]


def sigmoid_neg(d):
    """S = 1 / (1 + exp(d)) without overflow: with e = exp(-|d|) (always <= 1),
    S = e/(1+e) for d > 0 and 1/(1+e) otherwise (there exp(d) == e)."""
    e = np.exp(-np.abs(d))
    return np.where(d > 0, e / (1 + e), 1 / (1 + e))


def logistic_compute(logc, mid, width, jac=True):
    """f = 1/(1 + exp(-(log10 C - mid)/width)) and, with jac, its derivatives w.r.t. (mid, width)."""
    u = (mid - logc) / width
    f = sigmoid_neg(u)
    if not jac:
        return f, []
    dfdu = -f * (1 - f)
    return f, [dfdu / width, -dfdu * u / width]


def law_values(variant, theta, X, jac):
    """The law without a floor, part by part, written once: the predicted scores and, with jac,
    the columns dP/dtheta. Either one parameter vector (theta a sequence of numbers, X's columns
    of shape (m,): values (m,)) or a whole DE population at once (each theta[j] of shape (1, S),
    X's columns of shape (m, 1): values (m, S), no columns)."""
    parts = parse_law(variant)
    logc, logn, n_pmt, n_ctx = X
    ones = np.ones_like(logc, dtype=float)
    i = 0
    # compute factor fc and its derivative columns dfc
    if parts["compute"] == "saturating":
        fc, dfc = saturating(logc, theta[0], theta[1], jac)
        i = 2
    elif parts["compute"] == "logistic":
        fc, dfc = logistic_compute(logc, theta[0], theta[1], jac)
        i = 2
    elif parts["compute"] == "constant":
        fc, dfc, i = theta[0] * ones, [ones], 1
    else:
        fc, dfc = ones, []
    # context factor, and the combination L with dL/dfc (mc) and dL/dfn (mn)
    if parts["context"] == "saturating":
        fn, dfn = saturating(logn, theta[i], theta[i + 1], jac)
        i += 2
        if parts["combine"] == "mean":
            base, mc, mn = 0.5 * (fc + fn), 0.5, 0.5
        elif parts["compute"] == "absent":
            base, mc, mn = fn, 0.0, 1.0
        else:
            base, mc, mn = fc * fn, fn, fc
    else:
        base, mc, mn, dfn = fc, 1.0, 0.0, []
    # penalty s and the columns of its own parameters
    dpen = []
    if parts["penalty"] == "step":
        s = sigmoid_neg(n_pmt - n_ctx)  # the paper's sigmoid of the raw token difference
    elif parts["penalty"] == "soft":
        delta, log_w = theta[i], theta[i + 1]
        z = (np.log10(n_pmt / n_ctx) - delta) / 10.0 ** log_w
        s = sigmoid_neg(z)
        if jac:
            ds_dz = -s * (1 - s)
            dpen = [base * ds_dz * (-10.0 ** -log_w),  # dz/d delta = -1/w
                    base * ds_dz * (-LN10 * z)]        # dz/d log10_width = -ln10 * z
    elif parts["penalty"] == "decay":
        rate = 10.0 ** theta[i]
        x = np.maximum(n_pmt / n_ctx - 1.0, 0.0)  # 0 within the window: s = 1 there
        s = np.exp(-rate * x)
        if jac:
            dpen = [base * (-LN10 * rate * x * s)]
    else:
        s = ones
    cols = [mc * d * s for d in dfc] + [mn * d * s for d in dfn] + dpen if jac else []
    return base * s, cols


def floored(variant, theta, X, floor, jac):
    """The law with the chance floor P = k + (1 - k) law, and its columns: k is the given
    per-observation floor (None: 0; of shape (m,) or (m, 1) as X's columns), or the fitted last
    parameter, whose column is 1 - law."""
    if parse_law(variant)["floor"] == "fitted":
        law, cols = law_values(variant, theta[:-1], X, jac)
        k = theta[-1]
        return k + (1 - k) * law, [(1 - k) * c for c in cols] + ([1 - law] if jac else [])
    law, cols = law_values(variant, theta, X, jac)
    if floor is None:
        return law, cols
    return floor + (1 - floor) * law, [(1 - floor) * c for c in cols]


def evaluate(variant, theta, X, floor=None):
    """Predicted score P (m,) and Jacobian dP/dtheta (m, p) at one parameter vector."""
    P, cols = floored(variant, list(theta), X, floor, jac=True)
    return P, np.column_stack(cols)


def population_values(variant, theta, X, floor=None):
    """Predicted scores of a whole population at once, (m, S) for theta of shape (p, S): the
    same parts as evaluate, values only, broadcast over members (for the vectorized DE)."""
    Xm = tuple(None if c is None else np.asarray(c)[:, None] for c in X)
    t = [np.asarray(row)[None, :] for row in theta]
    P, _ = floored(variant, t, Xm, None if floor is None else floor[:, None], jac=False)
    return np.broadcast_to(P, (len(X[0]), theta.shape[1]))


# ---------------------------------------------------------------- fitting


def covariance(J, sse, m):
    """curve_fit's covariance (Moore-Penrose inverse of J^T J, times SSE/(m-p));
    used only when we report DE's parameters and so have no curve_fit pcov."""
    _, s, vt = np.linalg.svd(J, full_matrices=False)
    keep = s > np.finfo(float).eps * max(J.shape) * s[0]
    vt = vt[keep]
    return (vt.T / s[keep] ** 2) @ vt * (sse / (m - J.shape[1]) if m > J.shape[1] else np.inf)


def fit(variant, X, y, seed, floor=None, vectorized=False, popsize=None):
    """differential_evolution + curve_fit (analytic Jacobian). vectorized: the fastest way a SciPy
    user would run it: the loss of the whole population in one NumPy call per generation
    (vectorized=True, which needs updating="deferred"), the same curve_fit after. popsize: the
    population per parameter, when not DE_SETTINGS' (SciPy's default, 15)."""
    names = param_names(variant)
    lo = np.array([BOUNDS[n][0] for n in names])
    hi = np.array([BOUNDS[n][1] for n in names])

    def sse(theta):
        r = evaluate(variant, theta, X, floor)[0] - y
        return float(r @ r)

    if vectorized:
        def sse_population(theta):
            theta = np.asarray(theta)
            if theta.ndim == 1:
                theta = theta[:, None]
            r = population_values(variant, theta, X, floor) - y[:, None]
            return np.einsum("ms,ms->s", r, r)

    settings = DE_SETTINGS if popsize is None else {**DE_SETTINGS, "popsize": popsize}
    if vectorized:
        de = differential_evolution(sse_population, list(zip(lo, hi)), seed=seed,
                                    **{**settings, "updating": "deferred"}, vectorized=True)
    else:
        de = differential_evolution(sse, list(zip(lo, hi)), seed=seed, **settings)

    # curve_fit gets the analytic Jacobian, as docs/method.md specifies for the
    # local refinement (it is also what the kernel uses, so timings compare like with like).
    note, cf_nfev = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            popt, pcov, info, _, _ = curve_fit(
                lambda X_, *p: evaluate(variant, p, X_, floor)[0], X, y, p0=de.x, bounds=(lo, hi),
                jac=lambda X_, *p: evaluate(variant, p, X_, floor)[1], full_output=True, **CF_SETTINGS)
            cf_nfev = int(info["nfev"])
        except RuntimeError as exc:  # curve_fit gave up; fall back to DE below
            popt, pcov, note = None, None, f"curve_fit failed: {exc}"
    msgs = [str(w.message) for w in caught]

    # Never report a worse fit than DE found.
    if popt is None or sse(popt) > de.fun:
        params = de.x
        P, J = evaluate(variant, params, X, floor)
        pcov = covariance(J, de.fun, len(y))
        note = note or "curve_fit SSE exceeded DE SSE; DE parameters kept"
    else:
        params = popt
    pred = evaluate(variant, params, X, floor)[0]
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(pcov))
    for m in msgs + ([note] if note else []):
        print(f"[{variant}] {m}", file=sys.stderr)
    return {
        "param_names": names,
        "params": [float(v) for v in params],
        "se": [float(v) if np.isfinite(v) else None for v in se],
        "sse": float(np.sum((pred - y) ** 2)),
        "mae": float(np.mean(np.abs(pred - y))),
        "n_obs": int(len(y)),
        "de": {"params": [float(v) for v in de.x], "sse": float(de.fun),
               "nfev": int(de.nfev), "nit": int(de.nit)},
        "curve_fit": {"nfev": cf_nfev},
        "kept_de_params": params is de.x,
        "note": note,
        # Parameters within 1e-6 of the range width from a bound: flags degenerate fits.
        "at_bounds": [n for n, v, a, b in zip(names, params, lo, hi)
                      if min(v - a, b - v) <= 1e-6 * (b - a)],
        "warnings": msgs,
    }


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
        for variant in VARIANTS:
            # Some variants have local minima (additive, soft-penalty): one SciPy seed can stop in
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
# Which laws each data set's reference fits: (variant, given floor or None).
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
        p = SYNTH_FLOOR + (1 - SYNTH_FLOOR) * evaluate_law(law, list(truth.values()), X)[0]
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


def refit_warm(variant, X, y, p0):
    """One bootstrap refit as the kernel does it: curve_fit from the full fit's parameters."""
    names = param_names(variant)
    lo = np.array([BOUNDS[n][0] for n in names])
    hi = np.array([BOUNDS[n][1] for n in names])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            popt = curve_fit(lambda X_, *p: evaluate(variant, p, X_)[0], X, y, p0=p0, bounds=(lo, hi),
                             jac=lambda X_, *p: evaluate(variant, p, X_)[1], **CF_SETTINGS)[0]
        except RuntimeError:
            popt = np.asarray(p0, dtype=float)
    r = evaluate(variant, popt, X)[0] - y
    return popt, float(r @ r)


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
