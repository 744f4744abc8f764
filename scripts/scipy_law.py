"""The law of docs/method.md for the SciPy mirror of the kernel (scripts/scipy_fit.py): the
parts, their parameters, bounds and the named laws, read from their one definition in
src/lib/law.ts, and the law's value and Jacobian written once, part by part."""

import json
import os
import subprocess
import sys

import numpy as np

LN10 = np.log(10.0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_law_parts():
    """The parts of a law (each option's parameters in the kernel's order, with their bounds) and
    the named laws, read from their one definition (src/lib/law.ts, src/lib/named-laws.ts) through
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
