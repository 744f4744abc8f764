"""Fitting as the paper did, for the SciPy mirror (scripts/scipy_fit.py): the data file,
differential_evolution followed by curve_fit with the analytic Jacobian, and the warm-started
refit of one bootstrap resample."""

import csv
import hashlib
import os
import sys
import warnings

import numpy as np
from scipy.optimize import curve_fit, differential_evolution

from scipy_law import BOUNDS, evaluate, param_names, population_values

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
