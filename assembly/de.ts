// Differential evolution with SciPy's default semantics (best1bin, popsize 15·p, dithered
// mutation in [0.5, 1), recombination 0.7, Latin-hypercube start, immediate updating,
// relative-tolerance stop), so its results can be compared with scipy.optimize's.
// The population lives in the unit cube; x = lo + u·(hi − lo).
import { wPop, wEnergy, wTrial, wParams, fixed, IN_LO, IN_HI, MAX_P, MIN_POPULATION, getF, setF } from "./layout";
import { uniform, below } from "./rng";
import { sseUpTo } from "./model";
import { reportProgress } from "./progress";

export let generations: i32 = 0;
export let evaluations: i32 = 0;
export let converged: bool = false;
export let cancelled: bool = false;

@inline function member(k: i32): usize {
  return wPop + (<usize>(k * MAX_P) << 3);
}

/** The loss of unit-cube point u, or Infinity once it is certain to exceed `bound`. */
function energyOf(u: usize, p: i32, bound: f64): f64 {
  const lo = fixed(IN_LO);
  const hi = fixed(IN_HI);
  for (let j = 0; j < p; j++) {
    const l = getF(lo, j);
    setF(wParams, j, l + getF(u, j) * (getF(hi, j) - l));
  }
  evaluations++;
  return sseUpTo(wParams, bound);
}

function swapMembers(a: i32, b: i32, p: i32): void {
  const ma = member(a);
  const mb = member(b);
  for (let j = 0; j < p; j++) {
    const t = getF(ma, j);
    setF(ma, j, getF(mb, j));
    setF(mb, j, t);
  }
  const e = getF(wEnergy, a);
  setF(wEnergy, a, getF(wEnergy, b));
  setF(wEnergy, b, e);
}

/** Keeps the best member at index 0, as SciPy does, so best1bin reads it directly. */
function promoteLowest(np: i32, p: i32): void {
  let best = 0;
  for (let k = 1; k < np; k++) if (getF(wEnergy, k) < getF(wEnergy, best)) best = k;
  if (best != 0) swapMembers(0, best, p);
}

function latinHypercube(np: i32, p: i32): void {
  const seg = 1.0 / <f64>np;
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < np; k++) setF(member(k), j, (<f64>k + uniform()) * seg);
    // Fisher–Yates shuffle of this coordinate across members.
    for (let k = np - 1; k > 0; k--) {
      const r = below(k + 1);
      const t = getF(member(k), j);
      setF(member(k), j, getF(member(r), j));
      setF(member(r), j, t);
    }
  }
}

function converging(np: i32, tol: f64): bool {
  let mean: f64 = 0;
  for (let k = 0; k < np; k++) mean += getF(wEnergy, k);
  mean /= <f64>np;
  let v: f64 = 0;
  for (let k = 0; k < np; k++) {
    const d = getF(wEnergy, k) - mean;
    v += d * d;
  }
  const sd = Math.sqrt(v / <f64>np);
  return isFinite(mean) && sd <= tol * Math.abs(mean);
}

/** Writes member k of the final population, in real scale, into out. */
export function decodeMember(k: i32, p: i32, out: usize): void {
  const lo = fixed(IN_LO);
  const hi = fixed(IN_HI);
  const u = member(k);
  for (let j = 0; j < p; j++) {
    const l = getF(lo, j);
    setF(out, j, l + getF(u, j) * (getF(hi, j) - l));
  }
}

/**
 * The member ranked next after member `prev` (−1: the best), ranking by energy and ties by
 * index: the smallest (energy, index) pair above prev's. Called in sequence it walks the ranking
 * in O(np) a step, where ranking every member from scratch would be O(np²).
 */
export function nextRanked(prev: i32, np: i32): i32 {
  const pe = prev < 0 ? -Infinity : getF(wEnergy, prev);
  let found = -1;
  let fe: f64 = Infinity;
  for (let k = 0; k < np; k++) {
    const e = getF(wEnergy, k);
    const after = e > pe || (e == pe && k > prev);
    if (after && (found < 0 || e < fe)) {
      found = k;
      fe = e;
    }
  }
  return found;
}

/** Members of the population for p parameters: popsize · p, at least MIN_POPULATION (as SciPy's). */
export function populationSize(popsize: i32, p: i32): i32 {
  return max(MIN_POPULATION, popsize * p);
}

/** Runs the global search; leaves the best parameters (real scale) in `out`. */
export function differentialEvolution(p: i32, popsize: i32, maxGenerations: i32, tol: f64, out: usize): f64 {
  const np = populationSize(popsize, p);
  generations = 0;
  evaluations = 0;
  converged = false;
  cancelled = false;
  latinHypercube(np, p);
  for (let k = 0; k < np; k++) setF(wEnergy, k, energyOf(member(k), p, Infinity));
  promoteLowest(np, p);

  for (let g = 0; g < maxGenerations; g++) {
    const f = 0.5 + 0.5 * uniform(); // dither: one mutation factor per generation
    for (let c = 0; c < np; c++) {
      let r1 = below(np - 1);
      if (r1 >= c) r1++;
      let r2 = below(np - 2);
      // r2 is drawn from the members other than c and r1, in index order.
      const lo = c < r1 ? c : r1;
      const hi = c < r1 ? r1 : c;
      if (r2 >= lo) r2++;
      if (r2 >= hi) r2++;
      const best = member(0);
      const a = member(r1);
      const b = member(r2);
      const cur = member(c);
      const fill = below(p);
      for (let j = 0; j < p; j++) {
        let v = getF(cur, j);
        if (j == fill || uniform() < 0.7) {
          v = getF(best, j) + f * (getF(a, j) - getF(b, j));
          if (v < 0.0 || v > 1.0) v = uniform(); // out of bounds: re-draw, as SciPy does
        }
        setF(wTrial, j, v);
      }
      // Only whether the trial beats member c matters: a loser's loss is never kept.
      const e = energyOf(wTrial, p, getF(wEnergy, c));
      if (e <= getF(wEnergy, c)) {
        for (let j = 0; j < p; j++) setF(cur, j, getF(wTrial, j));
        setF(wEnergy, c, e);
        if (e <= getF(wEnergy, 0)) swapMembers(0, c, p);
      }
    }
    generations = g + 1;
    if (reportProgress(0, generations, getF(wEnergy, 0))) {
      cancelled = true;
      break;
    }
    if (converging(np, tol)) {
      converged = true;
      break;
    }
  }
  decodeMember(0, p, out);
  return getF(wEnergy, 0);
}
